import { randomBytes } from 'node:crypto';
import { allTopicSpecs } from '@keel/contracts';
import { namespacedTopic, type KafkaClient } from '@keel/messaging';
import { createTopicsForTest } from './test-kafka.util';

export interface TestNamespace {
  /** The value for a service's KAFKA_TOPIC_NAMESPACE. */
  namespace: string;
  brokers: string[];
  kafka: KafkaClient;
  /** The namespaced name of a catalog topic. */
  topic(name: string): string;
  delete(): Promise<void>;
}

/**
 * Every topic of the contracts catalog (with its dead-letter topic) under a fresh namespace, so
 * services started by a test see only that test's events. On the dev broker unless `kafkaBrokers`
 * names another (the chaos suite's own).
 */
export async function createTestNamespace(partitions = 3, kafkaBrokers?: string[]): Promise<TestNamespace> {
  const namespace = `test-${randomBytes(4).toString('hex')}`;
  const created = await createTopicsForTest(
    allTopicSpecs().map((spec) => namespacedTopic(namespace, spec.name)),
    partitions,
    kafkaBrokers,
  );
  return { namespace, topic: (name) => namespacedTopic(namespace, name), ...created };
}
