import { randomBytes } from 'node:crypto';
import { dlqTopicOf } from '@keel/contracts';
import { createKafkajsClient, silentLogger, DEFAULT_KAFKA_TIMEOUTS, type KafkaClient } from '@keel/messaging';
import { resolveEndpoints } from '@keel/local-infra';

export interface TestTopics {
  /** Unique topic names by the short names asked for. */
  names: Record<string, string>;
  brokers: string[];
  kafka: KafkaClient;
  delete(): Promise<void>;
}

/**
 * Topics with unique names (each with its dead-letter topic) on the real broker, so that tests
 * running in parallel or one after another never see each other's records.
 */
export async function createTestTopics(shortNames: readonly string[], partitions = 3): Promise<TestTopics> {
  const { kafkaBrokers } = resolveEndpoints();
  const kafka = createKafkajsClient(
    { brokers: kafkaBrokers, clientId: 'keel-test', ...DEFAULT_KAFKA_TIMEOUTS },
    silentLogger,
  );
  const run = randomBytes(4).toString('hex');
  const names = Object.fromEntries(shortNames.map((shortName) => [shortName, `test.${run}.${shortName}`]));
  const all = Object.values(names).flatMap((name) => [name, dlqTopicOf(name)]);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.ensureTopics(all.map((name) => ({ name, partitions })));
  } finally {
    await admin.disconnect();
  }
  return {
    names,
    brokers: kafkaBrokers,
    kafka,
    delete: async () => {
      const cleanup = kafka.admin();
      await cleanup.connect();
      try {
        await cleanup.deleteTopics(all);
      } finally {
        await cleanup.disconnect();
      }
    },
  };
}
