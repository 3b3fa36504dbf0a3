import {
  countedQuery,
  countsBetween,
  NO_STATEMENTS,
  parseCounterSnapshot,
  queryTextOf,
  stepDatabaseWork,
} from './statement-counts';

describe('statement counting', () => {
  it('reads the SQL of plain queries and of named prepared statements', () => {
    expect(queryTextOf('SELECT 1')).toBe('SELECT 1');
    expect(queryTextOf({ name: 'wallet_credit', text: 'INSERT INTO x', values: [] })).toBe('INSERT INTO x');
    expect(queryTextOf(undefined)).toBeUndefined();
  });

  it('counts every query, and begins, commits and rollbacks by their text', () => {
    const texts = [
      'START TRANSACTION',
      'BEGIN ISOLATION LEVEL SERIALIZABLE',
      'insert into t values ($1)',
      'SAVEPOINT typeorm_1',
      'ROLLBACK TO SAVEPOINT typeorm_1',
      'COMMIT',
      '  commit',
      'ROLLBACK',
      undefined,
    ];
    const counts = texts.reduce(countedQuery, NO_STATEMENTS);
    expect(counts).toEqual({ statements: 9, begins: 2, commits: 2, rollbacks: 1 });
  });
});

describe('counter files', () => {
  const counts = { statements: 95, begins: 16, commits: 16, rollbacks: 0 };

  it('parses what the preload writes', () => {
    const text = JSON.stringify({ pid: 4_242, writtenAtMs: 1_700_000_000_000, counts });
    expect(parseCounterSnapshot(text)).toEqual({ pid: 4_242, writtenAtMs: 1_700_000_000_000, counts });
  });

  it('refuses a half-written or foreign file', () => {
    expect(parseCounterSnapshot('{"pid": 4242, "writ')).toBeUndefined();
    expect(
      parseCounterSnapshot(JSON.stringify({ pid: 1, writtenAtMs: 2, counts: { statements: 1 } })),
    ).toBeUndefined();
    expect(parseCounterSnapshot('null')).toBeUndefined();
  });

  it('subtracts the start of a step from its end', () => {
    expect(countsBetween(NO_STATEMENTS, counts)).toEqual(counts);
    expect(countsBetween({ statements: 5, begins: 1, commits: 1, rollbacks: 0 }, counts)).toEqual({
      statements: 90,
      begins: 15,
      commits: 15,
      rollbacks: 0,
    });
  });
});

describe('stepDatabaseWork', () => {
  const serviceOf = (instance: string) => instance.replace(/-\d+$/, '');
  const step = {
    payment: { statements: 40, begins: 10, commits: 10, rollbacks: 0 },
    wallet: { statements: 15, begins: 3, commits: 3, rollbacks: 1 },
    'wallet-2': { statements: 5, begins: 2, commits: 1, rollbacks: 1 },
  };

  it('sums the instances of a service and divides by completed payments', () => {
    const work = stepDatabaseWork(step, 10, serviceOf);
    expect(Object.keys(work.perService)).toEqual(['payment', 'wallet']);
    expect(work.perService['wallet']).toEqual({
      statements: 20,
      commits: 4,
      statementsPerPayment: 2,
      commitsPerPayment: 0.4,
    });
    expect(work.total).toEqual({
      statements: 60,
      commits: 14,
      statementsPerPayment: 6,
      commitsPerPayment: 1.4,
    });
  });

  it('leaves the per-payment figures out when no payment completed', () => {
    expect(stepDatabaseWork(step, 0, serviceOf).total).toEqual({ statements: 60, commits: 14 });
  });
});
