import { EnvironmentError, loadEnvironment } from '@keel/platform';
import { OpsEnvironment } from './ops.environment';

const REQUIRED = {
  PORT: '3006',
  DATABASE_URL: 'postgres://keel@127.0.0.1:5432/keel_ops',
  KAFKA_BROKERS: '127.0.0.1:19092',
  OPERATOR_TOKEN_SECRET: 'an-operator-token-secret-of-32-characters',
};

describe('OpsEnvironment', () => {
  it('reads the variables of every service, with their defaults', () => {
    const environment = loadEnvironment(OpsEnvironment, REQUIRED);
    expect(environment).toBeInstanceOf(OpsEnvironment);
    expect(environment).toMatchObject({
      PORT: 3006,
      DATABASE_URL: REQUIRED.DATABASE_URL,
      KAFKA_BROKERS: REQUIRED.KAFKA_BROKERS,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
  });

  it('refuses to start without its own database', () => {
    expect(() => loadEnvironment(OpsEnvironment, { ...REQUIRED, DATABASE_URL: undefined })).toThrow(
      EnvironmentError,
    );
  });

  it('names every problem of OPS_PIPELINE_TARGETS at boot', () => {
    expect(() =>
      loadEnvironment(OpsEnvironment, { ...REQUIRED, OPS_PIPELINE_TARGETS: 'payment=ftp://x,ledger' }),
    ).toThrow(
      'OPS_PIPELINE_TARGETS must be name=url[,name=url…]: "payment": the URL must be http(s); "ledger" is not name=url',
    );
    expect(
      loadEnvironment(OpsEnvironment, { ...REQUIRED, OPS_PIPELINE_TARGETS: 'payment=http://127.0.0.1:3001' })
        .OPS_PIPELINE_TARGETS,
    ).toBe('payment=http://127.0.0.1:3001');
  });
});
