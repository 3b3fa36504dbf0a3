import {
  Kafka,
  logLevel,
  Partitioners,
  type LogEntry,
  type Consumer,
  type KafkaConfig,
  type RetryOptions,
  type ConsumerRunConfig,
  type Admin,
} from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fullJitterDelayMs, type BackoffSettings } from '@keel/backoff';
import type { MessagingLogger } from '../messaging-logger';
import { AssignmentListeners } from './assignment-listeners';
import { DeferredOffsetCommits } from './deferred-offset-commits';
import type {
  ConsumerSettings,
  IncomingBatch,
  KafkaClient,
  PartitionAssignment,
  PartitionPosition,
  RecordConsumer,
  TopicAdmin,
  TopicDefinition,
} from './kafka-client';
import { lagOf } from './kafka-client';
import type { KafkaSettings } from './kafka-settings';
import { waitForBrokerAnswer } from './broker-readiness';
import { fixKafkajsIdleTimerLoop } from './kafkajs-request-queue.fix';
import { KafkajsRecordProducer } from './kafkajs-record-producer';

/** kafkajs logs through our logger, at warn and above: its info level is a line per request. */
function logCreatorFor(logger: MessagingLogger) {
  return () =>
    ({ level, log }: LogEntry): void => {
      const { message, ...details } = log;
      const text = `kafkajs: ${message}`;
      if (level === logLevel.ERROR) logger.error(details, text);
      else if (level === logLevel.WARN) logger.warn(details, text);
      else logger.debug(details, text);
    };
}

/**
 * How long a consumer keeps retrying a broker it lost before kafkajs gives up on it: longer than a
 * broker restart takes. A consumer that gave up crashes, and kafkajs starts a crashed consumer as a
 * new member, which the group makes wait until the old member's session expires (measured: resumed
 * 10.4 s after a restarted broker answered, against 0.7 s for one that kept its membership). The
 * price: a consumer stopped while no broker answers waits up to this long for its fetch in flight.
 */
const CONSUMER_BROKER_OUTAGE_RIDE_OUT_MS = 60_000;

export function createKafkajsClient(settings: KafkaSettings, logger: MessagingLogger): KafkaClient {
  fixKafkajsIdleTimerLoop();
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: settings.connectionTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    logLevel: logLevel.WARN,
    logCreator: logCreatorFor(logger),
  };
  const kafka = new Kafka(config);
  return {
    admin: () => new KafkajsTopicAdmin(kafka.admin()),
    producer: () =>
      new KafkajsRecordProducer(
        () =>
          kafka.producer({
            idempotent: true,
            maxInFlightRequests: 1,
            allowAutoTopicCreation: false,
            // The Java client's murmur2 partitioning, so keys land where any other producer puts them.
            createPartitioner: Partitioners.DefaultPartitioner,
          }),
        logger,
      ),
    consumer: (consumerSettings) => {
      // Its own client: kafkajs takes the retries of a consumer's connections from the client.
      const retry = consumerRetry(consumerSettings.restartBackoff);
      return new KafkajsRecordConsumer(new Kafka({ ...config, retry }), retry, consumerSettings, logger);
    },
  };
}

/** Retries `restartBackoff.maxDelayMs` apart at most, for CONSUMER_BROKER_OUTAGE_RIDE_OUT_MS in all. */
function consumerRetry(backoff: BackoffSettings): RetryOptions {
  return {
    initialRetryTime: backoff.initialDelayMs,
    maxRetryTime: backoff.maxDelayMs,
    retries: Math.ceil(CONSUMER_BROKER_OUTAGE_RIDE_OUT_MS / backoff.maxDelayMs),
  };
}

class KafkajsTopicAdmin implements TopicAdmin {
  constructor(private readonly admin: Admin) {}

  connect(): Promise<void> {
    return this.admin.connect();
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }

  async waitUntilReady(timeoutMs: number): Promise<void> {
    await waitForBrokerAnswer(async () => {
      await this.admin.connect();
      const cluster = await this.admin.describeCluster();
      return cluster.brokers.length > 0 && cluster.controller !== null;
    }, timeoutMs);
  }

  async ensureTopics(topics: readonly TopicDefinition[]): Promise<string[]> {
    const existing = new Set(await this.admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.name));
    if (missing.length === 0) return [];
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic: topic.name,
        numPartitions: topic.partitions,
        replicationFactor: -1,
        configEntries: [
          { name: 'cleanup.policy', value: topic.cleanupPolicy ?? 'delete' },
          ...(topic.retentionMs === undefined
            ? []
            : [{ name: 'retention.ms', value: String(topic.retentionMs) }]),
        ],
      })),
    });
    return missing.map((topic) => topic.name);
  }

  listTopics(): Promise<string[]> {
    return this.admin.listTopics();
  }

  async deleteTopics(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.admin.deleteTopics({ topics: [...names] });
  }

  async consumerGroupLag(groupId: string, topic: string): Promise<bigint> {
    return lagOf(await this.partitionPositions(groupId, topic));
  }

  async partitionPositions(groupId: string, topic: string): Promise<PartitionPosition[]> {
    const [endOffsets, [committed]] = await Promise.all([
      this.admin.fetchTopicOffsets(topic),
      this.admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const committedByPartition = new Map(
      committed?.partitions.map((p) => [p.partition, BigInt(p.offset)]) ?? [],
    );
    return endOffsets.map(({ partition, high, low }) => {
      const position = committedByPartition.get(partition) ?? -1n;
      // -1 means the group has committed nothing: it will start from the earliest offset.
      return {
        partition,
        low: BigInt(low),
        high: BigInt(high),
        next: position < 0n ? BigInt(low) : position,
      };
    });
  }
}

class KafkajsRecordConsumer implements RecordConsumer {
  private readonly consumer: Consumer;
  private readonly assignment = new AssignmentListeners();
  private readonly offsetCommits: DeferredOffsetCommits;
  private runConfig: ConsumerRunConfig | undefined;
  private stopping = false;
  /** A restart is waiting to run; a crash meanwhile needs no second one. */
  private restartPending = false;

  constructor(
    kafka: Kafka,
    retry: RetryOptions,
    private readonly settings: ConsumerSettings,
    private readonly logger: MessagingLogger,
  ) {
    if (settings.groupInstanceId !== undefined)
      throw new Error(
        `kafkajs has no static membership: group instance id "${settings.groupInstanceId}" cannot be used; ` +
          'unset KAFKA_GROUP_INSTANCE_ID or use KAFKA_CLIENT=platformatic',
      );
    this.offsetCommits = new DeferredOffsetCommits(settings.offsetCommitIntervalMs, (error) =>
      // A commit refused by a rebalance: the partition's next owner gets those events again and the
      // inbox ignores them; otherwise the next commit carries the offsets.
      logger.warn({ err: error, groupId: settings.groupId }, 'a deferred offset commit failed'),
    );
    this.consumer = kafka.consumer({
      groupId: settings.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      rebalanceTimeout: settings.rebalanceTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      maxBytesPerPartition: settings.maxBytesPerPartition,
      maxWaitTimeInMs: settings.fetchMaxWaitMs,
      minBytes: settings.fetchMinBytes,
      retry,
      allowAutoTopicCreation: false,
    });
    const { GROUP_JOIN, REBALANCING, CRASH, STOP } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, ({ payload }) =>
      this.assignment.changed(new Map(Object.entries(payload.memberAssignment))),
    );
    // kafkajs rebalances eagerly: every partition is revoked until the member has joined again.
    this.consumer.on(REBALANCING, () => this.assignment.revoked());
    this.consumer.on(STOP, () => this.assignment.revoked());
    // kafkajs restarts itself after retriable errors only; after another (a group coordinator not
    // found while the broker restarts, say) it stays stopped and the service would stop consuming.
    this.consumer.on(CRASH, ({ payload }) => {
      this.assignment.revoked();
      if (payload.restart || this.stopping || this.restartPending) return;
      this.restartPending = true;
      void this.restartAfterCrash();
    });
  }

  onAssignmentChange(listener: (assignment: PartitionAssignment) => void): void {
    this.assignment.add(listener);
  }

  private async restartAfterCrash(): Promise<void> {
    for (let attempt = 0; !this.stopping && this.runConfig !== undefined; attempt += 1) {
      // Unreferenced: a consumer waiting to restart must not by itself keep a process alive.
      await sleep(fullJitterDelayMs(attempt, this.settings.restartBackoff), undefined, { ref: false });
      if (this.stopping) return;
      // A crash from here on schedules its own restart.
      this.restartPending = false;
      try {
        await this.consumer.connect();
        await this.consumer.run(this.runConfig);
        this.logger.warn(
          { groupId: this.settings.groupId, attempt },
          'kafka consumer restarted after a crash',
        );
        return;
      } catch (error) {
        if (this.restartPending) return;
        this.restartPending = true;
        this.logger.warn(
          { err: error, groupId: this.settings.groupId, attempt },
          'kafka consumer restart failed; retrying',
        );
      }
    }
  }

  connect(): Promise<void> {
    return this.consumer.connect();
  }

  subscribe(topics: readonly string[], fromBeginning: boolean): Promise<void> {
    return this.consumer.subscribe({ topics: [...topics], fromBeginning });
  }

  run(onBatch: (batch: IncomingBatch) => Promise<void>): Promise<void> {
    this.assignment.revoked();
    this.runConfig = {
      // Offsets move only when we say so, after the database transaction has committed.
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.settings.partitionsConsumedConcurrently,
      eachBatch: async ({
        batch,
        resolveOffset,
        heartbeat,
        commitOffsetsIfNecessary,
        uncommittedOffsets,
        isRunning,
        isStale,
      }) => {
        await onBatch({
          topic: batch.topic,
          partition: batch.partition,
          highWatermark: batch.highWatermark,
          records: batch.messages.map((message) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            key: message.key,
            value: message.value,
            headers: message.headers ?? {},
            timestamp: message.timestamp,
          })),
          commitThrough: async (offset) => {
            resolveOffset(offset);
            await this.offsetCommits.marked(() => commitOffsetsIfNecessary(uncommittedOffsets()));
          },
          heartbeat,
          isActive: () => isRunning() && !isStale(),
        });
      },
    };
    return this.consumer.run(this.runConfig);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.offsetCommits
      .stop()
      .catch((error: unknown) =>
        this.logger.warn({ err: error, groupId: this.settings.groupId }, 'offsets not committed on stop'),
      );
    await this.consumer.stop();
  }

  disconnect(): Promise<void> {
    return this.consumer.disconnect();
  }
}
