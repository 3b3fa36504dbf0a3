import { EnvironmentError, loadEnvironment, ServiceEnvironment } from './service-environment';

const BASE = {
  PORT: '0',
  DATABASE_URL: 'postgres://keel@127.0.0.1:5432/keel_test',
  KAFKA_BROKERS: '127.0.0.1:19092',
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

describe('ServiceEnvironment CONSUMER_SESSION_TIMEOUT_MS', () => {
  it('defaults to ten seconds', () => {
    expect(loadEnvironment(ServiceEnvironment, BASE).CONSUMER_SESSION_TIMEOUT_MS).toBe(10_000);
  });

  it('reads a longer timeout as a number', () => {
    expect(
      loadEnvironment(ServiceEnvironment, { ...BASE, CONSUMER_SESSION_TIMEOUT_MS: '45000' })
        .CONSUMER_SESSION_TIMEOUT_MS,
    ).toBe(45_000);
  });

  it.each(['8999', '300001', 'ten'])(
    'refuses %j: outside 9 s (three 3 s heartbeats) to 300 s, or no number',
    (value) => {
      expect(() =>
        loadEnvironment(ServiceEnvironment, { ...BASE, CONSUMER_SESSION_TIMEOUT_MS: value }),
      ).toThrow('CONSUMER_SESSION_TIMEOUT_MS');
    },
  );
});
