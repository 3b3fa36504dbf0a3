import { randomBytes } from 'node:crypto';
import { dlqTopicOf } from '@keel/contracts';
import type { KafkaClient } from '@keel/messaging';
import { createTopicsForTest } from './test-kafka.util';

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
  const run = randomBytes(4).toString('hex');
  const names = Object.fromEntries(shortNames.map((shortName) => [shortName, `test.${run}.${shortName}`]));
  const created = await createTopicsForTest(
    Object.values(names).flatMap((name) => [name, dlqTopicOf(name)]),
    partitions,
  );
  return { names, ...created };
}
