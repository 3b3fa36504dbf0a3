import { createKafkajsClient, silentLogger, DEFAULT_KAFKA_TIMEOUTS, type KafkaClient } from '@keel/messaging';
import { resolveEndpoints } from '@keel/local-infra';

export interface CreatedTopics {
  brokers: string[];
  kafka: KafkaClient;
  delete(): Promise<void>;
}

/** Creates `names` on the real broker (or on `kafkaBrokers`) and returns a client plus a way to delete them again. */
export async function createTopicsForTest(
  names: readonly string[],
  partitions: number,
  kafkaBrokers: string[] = resolveEndpoints().kafkaBrokers,
): Promise<CreatedTopics> {
  const kafka = createKafkajsClient(
    { brokers: kafkaBrokers, clientId: 'keel-test', ...DEFAULT_KAFKA_TIMEOUTS },
    silentLogger,
  );
  const withAdmin = async (work: (admin: ReturnType<KafkaClient['admin']>) => Promise<unknown>) => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await work(admin);
    } finally {
      await admin.disconnect();
    }
  };
  await withAdmin((admin) => admin.ensureTopics(names.map((name) => ({ name, partitions }))));
  return { brokers: kafkaBrokers, kafka, delete: () => withAdmin((admin) => admin.deleteTopics(names)) };
}
