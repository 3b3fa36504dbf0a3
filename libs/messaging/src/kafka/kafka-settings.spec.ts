import { groupInstanceIdOf, parseKafkaClientKind, supportsStaticMembership } from './kafka-settings';

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

describe('groupInstanceIdOf', () => {
  const group = { groupName: 'keel-wallet' };

  it('derives <group>-<instance id> for a client with static membership', () => {
    expect(groupInstanceIdOf({ ...group, client: 'platformatic', instanceId: '2' })).toBe('keel-wallet-2');
  });

  it('prefers the configured id to the derived one', () => {
    expect(
      groupInstanceIdOf({ ...group, client: 'platformatic', instanceId: '2', configured: 'wallet-pod-a' }),
    ).toBe('wallet-pod-a');
  });

  it('derives none for kafkajs, which has no static membership', () => {
    expect(supportsStaticMembership('kafkajs')).toBe(false);
    expect(groupInstanceIdOf({ ...group, client: 'kafkajs', instanceId: '2' })).toBeUndefined();
  });

  it('derives none without an instance id', () => {
    expect(groupInstanceIdOf({ ...group, client: 'platformatic' })).toBeUndefined();
  });
});
