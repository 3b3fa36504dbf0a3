import { parseKafkaClientKind } from './kafka-settings';

describe('parseKafkaClientKind', () => {
  it.each(['kafkajs', 'platformatic'] as const)('accepts %s', (name) => {
    expect(parseKafkaClientKind(name)).toBe(name);
  });

  it.each(['confluent', 'Kafkajs', ' kafkajs', ''])('refuses %j, naming the accepted clients', (name) => {
    expect(() => parseKafkaClientKind(name)).toThrow(
      `invalid Kafka client "${name}": expected one of kafkajs, platformatic`,
    );
  });
});
