import { QueryRunnerAlreadyReleasedError } from 'typeorm';
import { isTransientDatabaseError } from './transient-error.util';

describe('isTransientDatabaseError', () => {
  it('takes a lost connection, an overloaded or restarting server and a retry request as transient', () => {
    expect(isTransientDatabaseError({ code: 'ECONNREFUSED' })).toBe(true);
    expect(isTransientDatabaseError({ code: '57P01', message: 'terminating connection' })).toBe(true);
    expect(isTransientDatabaseError({ code: '40001' })).toBe(true);
    expect(isTransientDatabaseError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientDatabaseError({ driverError: { code: '08006' } })).toBe(true);
  });

  it('takes the query runner TypeORM released after its connection failed as transient', () => {
    expect(isTransientDatabaseError(new QueryRunnerAlreadyReleasedError())).toBe(true);
  });

  it('leaves faults of the work itself alone', () => {
    expect(isTransientDatabaseError({ code: '23505', message: 'duplicate key value' })).toBe(false);
    expect(isTransientDatabaseError(new Error('column "x" does not exist'))).toBe(false);
    expect(isTransientDatabaseError(undefined)).toBe(false);
  });
});
