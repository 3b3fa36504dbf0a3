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
  // A member killed outright (SIGKILL, a crashed pod) holds its partitions until the coordinator
  // expires its session; a dynamic member restarted before that makes the whole group wait for the
  // old one during the rebalance. 10 s expires it before an instance restarted 10 s later can
  // rejoin. A live member heartbeats every second (kafkajs between fetches and between chunks), so
  // it is expelled only after nine lost heartbeats or a chunk that takes 10 s; the inbox heartbeats
  // while it retries a chunk. Brokers refuse less than 6 s (group.min.session.timeout.ms). Static
  // members (groupInstanceId) take their partitions back at once and can afford a longer session.
  sessionTimeoutMs: 10_000,
  // A cap, not a wait: members rejoin after their chunk in flight; one that takes longer is dropped.
  rebalanceTimeoutMs: 60_000,
  // The other members learn that a rebalance started from a heartbeat's answer, so this bounds how
  // long a joining or returning member waits for them (platformatic heartbeats on a timer; kafkajs
  // between fetches). A tenth of the session: nine heartbeats may be lost before expiry. One small
  // request per second per consumer costs the broker nothing.
  heartbeatIntervalMs: 1_000,
  // kafkajs' own default is 5 s, so an idle kafkajs member took up to 5 s to notice a rebalance and
  // as long again to leave when stopped (a graceful handover took 10 s). As often as the heartbeat:
  // an idle consumer sends one empty fetch a second, nothing for the broker.
  fetchMaxWaitMs: 1_000,
  // Answer as soon as a record is there: every hop of a payment waits for this fetch.
  fetchMinBytes: 1,
  maxBytesPerPartition: 1_048_576,
  // Batches handed over together share one transaction (InboxConsumer), so this many partitions in
  // flight cost no more connections than one: as many as a consumer is usually assigned (the
  // payment service reads four topics of six partitions), so one fetch is one transaction.
  partitionsConsumedConcurrently: 32,
  // Per chunk, a consumer at 40 payments/s sent two offset commits for every fetch, about three
  // broker requests per payment across the services. Twice a second bounds what a crash or a
  // rebalance redelivers (and the inbox ignores) to half a second of events.
  offsetCommitIntervalMs: 500,
  // A consumer that lost the broker tries again at most 1 s apart, so it resumes within about a
  // second of the broker answering again (5 s apart, platformatic resumed 4.6 s after). A refused
  // connection costs nothing.
  restartBackoff: { initialDelayMs: 250, maxDelayMs: 1_000 },
};
