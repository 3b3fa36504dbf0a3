import { EnvironmentError, loadEnvironment } from '@keel/platform';
import { ReconciliationEnvironment } from './reconciliation.environment';

const REQUIRED = {
  PORT: '3005',
  DATABASE_URL: 'postgres://keel@127.0.0.1:5432/keel_reconciliation',
  KAFKA_BROKERS: '127.0.0.1:19092',
  OPERATOR_TOKEN_SECRET: 'an-operator-token-secret-of-32-characters',
};

describe('ReconciliationEnvironment', () => {
  it('reads the variables of every service, with their defaults', () => {
    const environment = loadEnvironment(ReconciliationEnvironment, REQUIRED);
    expect(environment).toBeInstanceOf(ReconciliationEnvironment);
    expect(environment).toMatchObject({
      PORT: 3005,
      DATABASE_URL: REQUIRED.DATABASE_URL,
      KAFKA_BROKERS: REQUIRED.KAFKA_BROKERS,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
  });

  it('refuses to start without its own database', () => {
    expect(() =>
      loadEnvironment(ReconciliationEnvironment, { ...REQUIRED, DATABASE_URL: undefined }),
    ).toThrow(EnvironmentError);
  });
});
