import { randomBytes } from 'node:crypto';
import type { IncomingRecord, KafkaClient, RecordConsumer } from '@keel/messaging';
import { waitFor, type WaitOptions } from './wait-for';

/** Consumer settings for short-lived test consumers: quick to join, quick to leave. */
export const TEST_CONSUMER_SETTINGS = {
  sessionTimeoutMs: 6_000,
  rebalanceTimeoutMs: 6_000,
  heartbeatIntervalMs: 500,
  maxBytesPerPartition: 1_048_576,
  partitionsConsumedConcurrently: 3,
} as const;

/** Reads a topic from the beginning in its own consumer group and keeps every record. */
export class TopicReader {
  readonly records: IncomingRecord[] = [];

  private constructor(private readonly consumer: RecordConsumer) {}

  static async start(kafka: KafkaClient, topic: string): Promise<TopicReader> {
    const consumer = kafka.consumer({
      ...TEST_CONSUMER_SETTINGS,
      groupId: `test-reader-${randomBytes(4).toString('hex')}`,
    });
    const reader = new TopicReader(consumer);
    await consumer.connect();
    await consumer.subscribe([topic], true);
    await consumer.run(async (batch) => {
      reader.records.push(...batch.records);
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

  async stop(): Promise<void> {
    await this.consumer.stop();
    await this.consumer.disconnect();
  }
}
