import { EnvironmentError, loadEnvironment, ServiceEnvironment } from './service-environment';

const BASE = {
  PORT: '0',
  DATABASE_URL: 'postgres://keel@127.0.0.1:5432/keel_test',
  KAFKA_BROKERS: '127.0.0.1:19092',
  OPERATOR_TOKEN_SECRET: 'an-operator-token-secret-of-32-characters',
};

describe('ServiceEnvironment KAFKA_CLIENT', () => {
  it('defaults to kafkajs', () => {
    expect(loadEnvironment(ServiceEnvironment, BASE).KAFKA_CLIENT).toBe('kafkajs');
  });

  it('reads platformatic', () => {
    expect(loadEnvironment(ServiceEnvironment, { ...BASE, KAFKA_CLIENT: 'platformatic' }).KAFKA_CLIENT).toBe(
      'platformatic',
    );
  });

  it.each(['confluent', 'KafkaJS', ''])('refuses %j with the accepted names', (value) => {
    expect(() => loadEnvironment(ServiceEnvironment, { ...BASE, KAFKA_CLIENT: value })).toThrow(
      EnvironmentError,
    );
    expect(() => loadEnvironment(ServiceEnvironment, { ...BASE, KAFKA_CLIENT: value })).toThrow(
      'KAFKA_CLIENT must be one of kafkajs, platformatic',
    );
  });
});

describe('ServiceEnvironment consumer group settings', () => {
  const invalid = (overrides: Record<string, string>, message: string) =>
    expect(() => loadEnvironment(ServiceEnvironment, { ...BASE, ...overrides })).toThrow(message);

  it('defaults to a 10 s session, 1 s heartbeats and fetch waits, a 60 s rebalance cap, offsets committed twice a second and no static membership', () => {
    const environment = loadEnvironment(ServiceEnvironment, BASE);
    expect(environment).toMatchObject({
      KAFKA_SESSION_TIMEOUT_MS: 10_000,
      KAFKA_HEARTBEAT_INTERVAL_MS: 1_000,
      KAFKA_REBALANCE_TIMEOUT_MS: 60_000,
      KAFKA_FETCH_MAX_WAIT_MS: 1_000,
      KAFKA_FETCH_MIN_BYTES: 1,
      KAFKA_OFFSET_COMMIT_INTERVAL_MS: 500,
    });
    expect([environment.KAFKA_GROUP_INSTANCE_ID, environment.KEEL_INSTANCE_ID]).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('reads the timeouts and the instance ids', () => {
    const ids = { KAFKA_GROUP_INSTANCE_ID: 'keel-wallet-pod-7c9f', KEEL_INSTANCE_ID: 'pod-7c9f' };
    const environment = loadEnvironment(ServiceEnvironment, {
      ...BASE,
      ...ids,
      KAFKA_CLIENT: 'platformatic',
      KAFKA_SESSION_TIMEOUT_MS: '30000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '3000',
      KAFKA_REBALANCE_TIMEOUT_MS: '45000',
      KAFKA_FETCH_MAX_WAIT_MS: '250',
      KAFKA_FETCH_MIN_BYTES: '16384',
      KAFKA_OFFSET_COMMIT_INTERVAL_MS: '0',
    });
    expect(environment).toMatchObject({
      ...ids,
      KAFKA_SESSION_TIMEOUT_MS: 30_000,
      KAFKA_HEARTBEAT_INTERVAL_MS: 3_000,
      KAFKA_REBALANCE_TIMEOUT_MS: 45_000,
      KAFKA_FETCH_MAX_WAIT_MS: 250,
      KAFKA_FETCH_MIN_BYTES: 16_384,
      KAFKA_OFFSET_COMMIT_INTERVAL_MS: 0,
    });
  });

  it('refuses a fetch that waits for no bytes', () => {
    invalid({ KAFKA_FETCH_MIN_BYTES: '0' }, 'KAFKA_FETCH_MIN_BYTES must not be less than 1');
  });

  it('refuses a session below the brokers minimum of 6 s', () => {
    invalid({ KAFKA_SESSION_TIMEOUT_MS: '5000' }, 'KAFKA_SESSION_TIMEOUT_MS must not be less than 6000');
  });

  it('refuses heartbeats less frequent than three per session', () => {
    invalid(
      { KAFKA_SESSION_TIMEOUT_MS: '9000', KAFKA_HEARTBEAT_INTERVAL_MS: '3001' },
      'KAFKA_HEARTBEAT_INTERVAL_MS must be at most a third of KAFKA_SESSION_TIMEOUT_MS',
    );
  });

  it('refuses a rebalance timeout shorter than the session', () => {
    invalid(
      { KAFKA_SESSION_TIMEOUT_MS: '30000', KAFKA_REBALANCE_TIMEOUT_MS: '20000' },
      'KAFKA_REBALANCE_TIMEOUT_MS must be at least KAFKA_SESSION_TIMEOUT_MS',
    );
  });

  it('refuses a static member id with kafkajs, which has no static membership', () => {
    invalid(
      { KAFKA_CLIENT: 'kafkajs', KAFKA_GROUP_INSTANCE_ID: 'keel-wallet-0' },
      'KAFKA_GROUP_INSTANCE_ID needs a client with static membership (KAFKA_CLIENT=platformatic)',
    );
  });

  it.each(['', 'pod 7', 'pod/7'])('refuses the instance id %j', (id) => {
    invalid({ KEEL_INSTANCE_ID: id }, 'KEEL_INSTANCE_ID must be 1-200 of A-Z a-z 0-9 . _ -');
  });
});

describe('ServiceEnvironment HOST and KEEL_PROFILE', () => {
  it('listens on loopback unless told otherwise', () => {
    expect(loadEnvironment(ServiceEnvironment, BASE).HOST).toBe('127.0.0.1');
    expect(loadEnvironment(ServiceEnvironment, { ...BASE, HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
  });

  it('runs under no profile unless told, and knows local', () => {
    expect(loadEnvironment(ServiceEnvironment, BASE).KEEL_PROFILE).toBeUndefined();
    expect(loadEnvironment(ServiceEnvironment, { ...BASE, KEEL_PROFILE: 'local' }).KEEL_PROFILE).toBe(
      'local',
    );
    expect(() => loadEnvironment(ServiceEnvironment, { ...BASE, KEEL_PROFILE: 'production' })).toThrow(
      'KEEL_PROFILE must be unset or one of local',
    );
  });
});
