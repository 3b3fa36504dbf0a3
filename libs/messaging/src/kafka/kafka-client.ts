import type { BackoffSettings } from '@keel/backoff';
import type { IncomingRecord, OutgoingRecord } from './kafka-records';

/**
 * The whole Kafka surface Keel uses. Only this folder knows which client library implements it
 * (kafkajs today; @confluentinc/kafka-javascript or @platformatic/kafka could implement it too).
 */
export interface KafkaClient {
  admin(): TopicAdmin;
  producer(): RecordProducer;
  consumer(settings: ConsumerSettings): RecordConsumer;
}

export interface TopicDefinition {
  name: string;
  partitions: number;
  cleanupPolicy?: 'delete' | 'compact';
  retentionMs?: number;
}

export interface TopicAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Resolves once a broker answers a metadata request; rejects after `timeoutMs`. */
  waitUntilReady(timeoutMs: number): Promise<void>;
  /** Creates the topics that do not exist yet; existing ones are left as they are. */
  ensureTopics(topics: readonly TopicDefinition[]): Promise<string[]>;
  listTopics(): Promise<string[]>;
  deleteTopics(names: readonly string[]): Promise<void>;
  /** Sum over partitions of (end offset - committed offset) for a consumer group on a topic. */
  consumerGroupLag(groupId: string, topic: string): Promise<bigint>;
  /** Each partition of `topic`: its first and end offsets, and where `groupId` will read next. */
  partitionPositions(groupId: string, topic: string): Promise<PartitionPosition[]>;
}

/** One partition of a topic as a consumer group stands on it. */
export interface PartitionPosition {
  readonly partition: number;
  /** The first offset still held. */
  readonly low: bigint;
  /** The end offset: that of the next record written. */
  readonly high: bigint;
  /** The offset the group reads next: its committed offset, or `low` when it has committed none. */
  readonly next: bigint;
}

/** Records the group has yet to read, over the partitions. */
export function lagOf(positions: readonly PartitionPosition[]): bigint {
  return positions.reduce((lag, position) => lag + position.high - position.next, 0n);
}

/** Idempotent producer: retries never duplicate or reorder a record within a partition. */
export interface RecordProducer {
  connect(): Promise<void>;
  /** Sends every record, in order per partition, acknowledged by all in-sync replicas. */
  send(records: readonly OutgoingRecord[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface ConsumerSettings {
  groupId: string;
  /**
   * Static membership (KIP-345): this member's name in its group, the same across restarts of the
   * instance. A member that comes back under its name takes back its partitions at once, without a
   * rebalance and without waiting for its old session to expire. Absent: a dynamic member. Only
   * clients that `supportsStaticMembership` take one (kafkajs has none and refuses it).
   */
  groupInstanceId?: string;
  /** A member the coordinator has not heard from for this long is removed and its partitions reassigned. */
  sessionTimeoutMs: number;
  /** How long the group waits for members to rejoin during a rebalance. */
  rebalanceTimeoutMs: number;
  /** How often a member tells the coordinator it is alive, and learns that a rebalance started. */
  heartbeatIntervalMs: number;
  /**
   * Longest a fetch waits at the broker while there is nothing to read. kafkajs heartbeats, and so
   * learns that a rebalance started, only between fetches, and a stopping kafkajs consumer waits for
   * its fetch in flight before it leaves: this bounds how long an idle member takes to do either.
   */
  fetchMaxWaitMs: number;
  /**
   * Bytes a fetch waits for at the broker (up to fetchMaxWaitMs) before it answers: 1 answers as
   * soon as anything is there, for consumers on the payment's path; a consumer that can lag (a
   * day-late reconciliation) asks for more, and gets fuller chunks and fewer transactions.
   */
  fetchMinBytes: number;
  maxBytesPerPartition: number;
  /** Partitions processed concurrently by one consumer; order within a partition is kept. */
  partitionsConsumedConcurrently: number;
  /**
   * kafkajs commits the offsets of applied chunks at most this often (0: after every chunk); a
   * graceful stop commits at once. platformatic commits after every chunk whatever this says: it
   * refetches from the committed offsets whenever a batch returns with records uncommitted.
   */
  offsetCommitIntervalMs: number;
  /**
   * Delays between attempts to start consuming again after the client gave up (a broker down,
   * a coordinator not found): a consumer on the money path never stays stopped while its service runs.
   */
  restartBackoff: BackoffSettings;
}

/** One fetched batch: records of a single topic partition, in offset order. */
export interface IncomingBatch {
  topic: string;
  partition: number;
  records: readonly IncomingRecord[];
  /** Offset of the next record the partition will get; lag after a record is this - offset - 1. */
  highWatermark: string;
  /** Marks every record up to and including `offset` as done and commits that to Kafka (see offsetCommitIntervalMs). */
  commitThrough(offset: string): Promise<void>;
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or this partition was revoked by a rebalance. */
  isActive(): boolean;
}

/** The partitions of each topic assigned to one consumer; a topic without any is absent. */
export type PartitionAssignment = ReadonlyMap<string, readonly number[]>;

export interface RecordConsumer {
  /**
   * `listener` gets the consumer's assignment whenever it changes: empty when `run` starts, on a
   * rebalance (partitions are revoked while the member rejoins), a crash and a stop; the new
   * assignment once the member has joined.
   */
  onAssignmentChange(listener: (assignment: PartitionAssignment) => void): void;
  connect(): Promise<void>;
  subscribe(topics: readonly string[], fromBeginning: boolean): Promise<void>;
  /** Starts fetching; `onBatch` rejecting makes the client fetch the batch again (no commit). */
  run(onBatch: (batch: IncomingBatch) => Promise<void>): Promise<void>;
  /** Stops fetching and waits for the batches in flight to finish. */
  stop(): Promise<void>;
  /**
   * Leaves the group at once (a static member too), so its partitions go to the other members now
   * rather than after a session timeout, and closes the connections.
   */
  disconnect(): Promise<void>;
}
