import { randomBytes } from 'node:crypto';
import { allTopicSpecs } from '@keel/contracts';
import {
  createKafkajsClient,
  namespacedTopic,
  silentLogger,
  DEFAULT_KAFKA_TIMEOUTS,
  type KafkaClient,
} from '@keel/messaging';
import { resolveEndpoints } from '@keel/local-infra';

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
 * services started by a test see only that test's events.
 */
export async function createTestNamespace(partitions = 3): Promise<TestNamespace> {
  const { kafkaBrokers } = resolveEndpoints();
  const kafka = createKafkajsClient(
    { brokers: kafkaBrokers, clientId: 'keel-test', ...DEFAULT_KAFKA_TIMEOUTS },
    silentLogger,
  );
  const namespace = `test-${randomBytes(4).toString('hex')}`;
  const names = allTopicSpecs().map((spec) => namespacedTopic(namespace, spec.name));
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.ensureTopics(names.map((name) => ({ name, partitions })));
  } finally {
    await admin.disconnect();
  }
  return {
    namespace,
    brokers: kafkaBrokers,
    kafka,
    topic: (name) => namespacedTopic(namespace, name),
    delete: async () => {
      const cleanup = kafka.admin();
      await cleanup.connect();
      try {
        await cleanup.deleteTopics(names);
      } finally {
        await cleanup.disconnect();
      }
    },
  };
}
