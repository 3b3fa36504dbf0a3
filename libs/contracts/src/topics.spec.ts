import { ContractError, ContractErrorCode } from './contract.error';
import {
  allTopicSpecs,
  DEFAULT_DLQ_PARTITIONS,
  DEFAULT_TOPIC_PARTITIONS,
  dlqTopicOf,
  isDlqTopic,
  TOPIC_SPECS,
  topicSpecOf,
  TOPICS,
} from './topics';

describe('topic catalog', () => {
  it('names the pay-in topics with their visibility', () => {
    expect(TOPIC_SPECS.map((topic) => [topic.name, topic.visibility])).toEqual([
      ['keel.payment.v1', 'public'],
      ['keel.payment-order.v1', 'internal'],
      ['keel.wallet.v1', 'public'],
      ['keel.ledger.v1', 'internal'],
      ['keel.psp.v1', 'internal'],
      ['keel.reconciliation.v1', 'internal'],
      ['keel.ops.v1', 'internal'],
    ]);
  });

  it('gives every topic explicit partitions, retention and cleanup policy', () => {
    for (const topic of TOPIC_SPECS) {
      expect(topic).toMatchObject({ partitions: DEFAULT_TOPIC_PARTITIONS, cleanupPolicy: 'delete' });
      expect(topic.retentionMs).toBeGreaterThan(0);
      expect(topic.description).not.toBe('');
    }
  });

  it('names a DLQ after its topic', () => {
    expect(dlqTopicOf(TOPICS.payment)).toBe('keel.payment.v1.dlq');
    expect(isDlqTopic('keel.payment.v1.dlq')).toBe(true);
    expect(isDlqTopic(TOPICS.payment)).toBe(false);
  });

  it('lists every topic followed by its internal single-partition DLQ', () => {
    const specs = allTopicSpecs();

    expect(specs.map((spec) => spec.name)).toEqual(
      TOPIC_SPECS.flatMap((topic) => [topic.name, dlqTopicOf(topic.name)]),
    );
    for (const dlq of specs.filter((spec) => isDlqTopic(spec.name))) {
      expect(dlq).toMatchObject({ partitions: DEFAULT_DLQ_PARTITIONS, visibility: 'internal' });
      expect(dlq.retentionMs).toBeGreaterThan(topicSpecOf(TOPICS.payment).retentionMs ?? 0);
    }
  });

  it('applies partition overrides to topics and DLQs by name', () => {
    const specs = allTopicSpecs({ [TOPICS.payment]: 24, [dlqTopicOf(TOPICS.wallet)]: 3 });

    expect(topicSpecOf(TOPICS.payment, specs).partitions).toBe(24);
    expect(topicSpecOf(dlqTopicOf(TOPICS.wallet), specs).partitions).toBe(3);
    expect(topicSpecOf(TOPICS.wallet, specs).partitions).toBe(DEFAULT_TOPIC_PARTITIONS);
    expect(topicSpecOf(TOPICS.payment).partitions).toBe(DEFAULT_TOPIC_PARTITIONS);
  });

  it.each([
    ['an unknown topic', { 'keel.paymnet.v1': 3 }],
    ['zero partitions', { [TOPICS.payment]: 0 }],
    ['a fractional count', { [TOPICS.payment]: 1.5 }],
    ['a count above the maximum', { [TOPICS.payment]: 5000 }],
  ])('rejects an override with %s', (_name, overrides) => {
    expect(() => allTopicSpecs(overrides)).toThrow(ContractError);
    expect(() => allTopicSpecs(overrides)).toThrow(
      expect.objectContaining({ code: ContractErrorCode.InvalidTopicOverride }),
    );
  });

  it('reports an unknown topic name', () => {
    expect(() => topicSpecOf('keel.unknown.v1')).toThrow(
      expect.objectContaining({ code: ContractErrorCode.UnknownTopic }),
    );
  });
});
