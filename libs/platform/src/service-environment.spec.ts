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
