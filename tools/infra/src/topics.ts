import { allTopicSpecs } from '@keel/contracts';
import { createKafkajsClient, silentLogger, DEFAULT_KAFKA_TIMEOUTS } from '@keel/messaging';

/** Creates every topic of the contracts catalog (and its dead-letter topic) that is missing. */
export async function createCatalogTopics(brokers: string[]): Promise<string[]> {
  const admin = createKafkajsClient(
    { brokers, clientId: 'keel-infra', ...DEFAULT_KAFKA_TIMEOUTS },
    silentLogger,
  ).admin();
  await admin.connect();
  try {
    return await admin.ensureTopics(allTopicSpecs());
  } finally {
    await admin.disconnect();
  }
}
