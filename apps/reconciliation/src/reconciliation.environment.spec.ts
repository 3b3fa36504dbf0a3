import { EnvironmentError, loadEnvironment } from '@keel/platform';
import { ReconciliationEnvironment } from './reconciliation.environment';

const REQUIRED = {
  PORT: '3005',
  DATABASE_URL: 'postgres://keel@127.0.0.1:5432/keel_reconciliation',
  KAFKA_BROKERS: '127.0.0.1:19092',
  OPERATOR_TOKEN_SECRET: 'an-operator-token-secret-of-32-characters',
  PSP_ACME_API_KEY: 'an-acme-api-key-of-at-least-32-characters',
  PSP_NOVA_SECRET: 'a-nova-signing-secret-of-32-characters',
  PSP_SWIFTPAY_API_KEY: 'a-swiftpay-api-key-of-32-characters-or-more',
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

  it('waits for 64 KiB per fetch (its view may trail by a second), and validates a configured value', () => {
    expect(loadEnvironment(ReconciliationEnvironment, REQUIRED).KAFKA_FETCH_MIN_BYTES).toBe(65_536);
    expect(
      loadEnvironment(ReconciliationEnvironment, { ...REQUIRED, KAFKA_FETCH_MIN_BYTES: '1' })
        .KAFKA_FETCH_MIN_BYTES,
    ).toBe(1);
    expect(() =>
      loadEnvironment(ReconciliationEnvironment, { ...REQUIRED, KAFKA_FETCH_MIN_BYTES: '0' }),
    ).toThrow('KAFKA_FETCH_MIN_BYTES must not be less than 1');
  });

  it('refuses to start without its own database', () => {
    expect(() =>
      loadEnvironment(ReconciliationEnvironment, { ...REQUIRED, DATABASE_URL: undefined }),
    ).toThrow(EnvironmentError);
  });
});

describe('ReconciliationEnvironment: settlement files and runs', () => {
  it('has safe defaults: the simulator PSP ports, explicit timeouts and limits, no schedule', () => {
    expect(loadEnvironment(ReconciliationEnvironment, REQUIRED)).toMatchObject({
      PSP_ACME_URL: 'http://127.0.0.1:3011',
      PSP_NOVA_URL: 'http://127.0.0.1:3012',
      PSP_SWIFTPAY_URL: 'http://127.0.0.1:3013',
      PSP_NOVA_MERCHANT_ID: 'nova_mid_test',
      RECON_DOWNLOAD_CONNECT_TIMEOUT_MS: 5_000,
      RECON_DOWNLOAD_HEADERS_TIMEOUT_MS: 30_000,
      RECON_DOWNLOAD_IDLE_TIMEOUT_MS: 30_000,
      RECON_DOWNLOAD_TIMEOUT_MS: 600_000,
      RECON_FILE_BYTES_MAX: 1_073_741_824,
      RECON_LINE_CHARS_MAX: 4_096,
      RECON_INSERT_BATCH_ROWS: 5_000,
      RECON_SCHEDULE_CRON: '',
      RECON_SCHEDULE_TIME_ZONE: 'UTC',
    });
  });

  it("refuses to start without the PSPs' credentials outside KEEL_PROFILE=local, naming each", () => {
    const variables = {
      ...REQUIRED,
      PSP_ACME_API_KEY: undefined,
      PSP_NOVA_SECRET: undefined,
      PSP_SWIFTPAY_API_KEY: undefined,
    };
    expect(() => loadEnvironment(ReconciliationEnvironment, variables)).toThrow(
      /PSP_ACME_API_KEY[\s\S]*PSP_NOVA_SECRET[\s\S]*PSP_SWIFTPAY_API_KEY/,
    );
    expect(loadEnvironment(ReconciliationEnvironment, { ...variables, KEEL_PROFILE: 'local' })).toMatchObject(
      {
        PSP_ACME_API_KEY: 'acme_test_key',
        PSP_NOVA_SECRET: 'nova_secret_test',
        PSP_SWIFTPAY_API_KEY: 'swift_test_key',
      },
    );
  });

  it('takes a cron expression in a time zone, and refuses a broken one or an unknown zone', () => {
    expect(
      loadEnvironment(ReconciliationEnvironment, {
        ...REQUIRED,
        RECON_SCHEDULE_CRON: '30 2 * * *',
        RECON_SCHEDULE_TIME_ZONE: 'Asia/Seoul',
      }),
    ).toMatchObject({ RECON_SCHEDULE_CRON: '30 2 * * *', RECON_SCHEDULE_TIME_ZONE: 'Asia/Seoul' });
    expect(() =>
      loadEnvironment(ReconciliationEnvironment, { ...REQUIRED, RECON_SCHEDULE_CRON: '61 * * * *' }),
    ).toThrow(/RECON_SCHEDULE_CRON must be empty \(no schedule\) or a cron expression/);
    expect(() =>
      loadEnvironment(ReconciliationEnvironment, { ...REQUIRED, RECON_SCHEDULE_TIME_ZONE: 'Mars/Olympus' }),
    ).toThrow(/RECON_SCHEDULE_TIME_ZONE must be an IANA time zone/);
  });

  it('refuses a batch size of 0', () => {
    expect(() =>
      loadEnvironment(ReconciliationEnvironment, { ...REQUIRED, RECON_INSERT_BATCH_ROWS: '0' }),
    ).toThrow(/RECON_INSERT_BATCH_ROWS/);
  });
});
