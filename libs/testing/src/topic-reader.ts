import { randomBytes } from 'node:crypto';
import type { IncomingRecord, KafkaClient, RecordConsumer } from '@keel/messaging';
import { waitFor, type WaitOptions } from './wait-for';

/** Consumer settings for short-lived test consumers: quick to join, quick to leave. */
export const TEST_CONSUMER_SETTINGS = {
  sessionTimeoutMs: 6_000,
  rebalanceTimeoutMs: 6_000,
  heartbeatIntervalMs: 500,
  fetchMaxWaitMs: 500,
  fetchMinBytes: 1,
  maxBytesPerPartition: 1_048_576,
  partitionsConsumedConcurrently: 3,
  // waitUntilCaughtUp reads the committed offsets, so a reader commits soon after each batch.
  offsetCommitIntervalMs: 250,
  restartBackoff: { initialDelayMs: 100, maxDelayMs: 2_000 },
} as const;

/** Reads a topic from the beginning in its own consumer group and keeps every record. */
export class TopicReader {
  readonly records: IncomingRecord[] = [];

  private constructor(
    private readonly consumer: RecordConsumer,
    private readonly kafka: KafkaClient,
    private readonly topic: string,
    private readonly groupId: string,
  ) {}

  /** `onRecords` sees each batch as it arrives, e.g. to note when an event was first observed. */
  static async start(
    kafka: KafkaClient,
    topic: string,
    onRecords?: (records: readonly IncomingRecord[]) => void,
  ): Promise<TopicReader> {
    const groupId = `test-reader-${randomBytes(4).toString('hex')}`;
    const consumer = kafka.consumer({ ...TEST_CONSUMER_SETTINGS, groupId });
    const reader = new TopicReader(consumer, kafka, topic, groupId);
    await consumer.connect();
    await consumer.subscribe([topic], true);
    await consumer.run(async (batch) => {
      reader.records.push(...batch.records);
      onRecords?.(batch.records);
      const last = batch.records[batch.records.length - 1];
      if (last !== undefined) await batch.commitThrough(last.offset);
    });
    return reader;
  }

  /** Waits until at least `count` records arrived and returns them all. */
  waitForCount(count: number, options: WaitOptions = {}): Promise<IncomingRecord[]> {
    return waitFor(() => this.records.length >= count && [...this.records], {
      description: `${count} records (have ${this.records.length})`,
      ...options,
    });
  }

  /** Waits until every record written to the topic so far has arrived (the reader's lag is 0). */
  async waitUntilCaughtUp(options: WaitOptions = {}): Promise<IncomingRecord[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await waitFor(async () => (await admin.consumerGroupLag(this.groupId, this.topic)) === 0n, {
        description: `${this.topic} read to its end`,
        ...options,
      });
      return [...this.records];
    } finally {
      await admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
    await this.consumer.disconnect();
  }
}
