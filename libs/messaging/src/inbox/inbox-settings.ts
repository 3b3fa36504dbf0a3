import type { ConsumerSettings } from '../kafka/kafka-client';

export interface InboxSettings extends Omit<ConsumerSettings, 'groupId'> {
  /** Names this consumer in the inbox table and is its Kafka consumer group id. */
  consumerName: string;
  topics: readonly string[];
  /** A new consumer group starts at the earliest offset, so events sent before its first start count. */
  fromBeginning: boolean;
  /** Events applied in one database transaction. */
  chunkSize: number;
  /** Tries of a failing event before it is dead-lettered. */
  maxAttempts: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
}

export const DEFAULT_INBOX_SETTINGS: Omit<InboxSettings, 'consumerName' | 'topics'> = {
  fromBeginning: true,
  chunkSize: 100,
  maxAttempts: 5,
  retryInitialDelayMs: 100,
  retryMaxDelayMs: 10_000,
  sessionTimeoutMs: 30_000,
  rebalanceTimeoutMs: 60_000,
  heartbeatIntervalMs: 3_000,
  maxBytesPerPartition: 1_048_576,
  partitionsConsumedConcurrently: 3,
  restartBackoff: { initialDelayMs: 250, maxDelayMs: 5_000 },
};
