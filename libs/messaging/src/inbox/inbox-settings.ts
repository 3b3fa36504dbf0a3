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

/**
 * The session timeout is what a group waits for a member that stopped without leaving: a process
 * killed with SIGKILL, or a kafkajs consumer that crashed while the broker restarted (it rejoins as a
 * new member, docs/chaos/README.md). Until then the member's partitions are consumed by no one. Ten
 * seconds still holds three heartbeats, and the retry delays stay under it so a consumer waiting
 * out a database outage keeps its membership.
 */
export const DEFAULT_INBOX_SETTINGS: Omit<InboxSettings, 'consumerName' | 'topics'> = {
  fromBeginning: true,
  chunkSize: 100,
  maxAttempts: 5,
  retryInitialDelayMs: 100,
  retryMaxDelayMs: 5_000,
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 60_000,
  heartbeatIntervalMs: 3_000,
  maxBytesPerPartition: 1_048_576,
  partitionsConsumedConcurrently: 3,
  restartBackoff: { initialDelayMs: 250, maxDelayMs: 5_000 },
};
