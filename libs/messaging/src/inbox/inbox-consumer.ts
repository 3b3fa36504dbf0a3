import { setTimeout as delay } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import type { Registry } from 'prom-client';
import { fullJitterDelayMs } from '@keel/backoff';
import {
  CLOUDEVENTS_HEADERS,
  parseKafkaRecord,
  type EventEnvelope,
  type EventTypeRegistry,
} from '@keel/contracts';
import { isTransientDatabaseError, preparedStatement, runPrepared } from '@keel/database';
import type { IncomingBatch, KafkaClient, RecordConsumer, RecordProducer } from '../kafka/kafka-client';
import { headerAsString, type IncomingRecord } from '../kafka/kafka-records';
import type { MessagingLogger } from '../messaging-logger';
import { appendToOutbox, type OutboxMessage } from '../outbox/outbox-message';
import { deadLetterRecord } from './dead-letter';
import { GroupedRunner } from './grouped-runner';
import { InboxMetrics } from './inbox-metrics';
import type { InboxSettings } from './inbox-settings';

const RECORD_IN_INBOX = preparedStatement(
  'keel_inbox_record',
  `INSERT INTO inbox (consumer, event_id, event_type, topic, kafka_partition, kafka_offset)
   SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[])
   ON CONFLICT DO NOTHING RETURNING event_id`,
);

/** What a handler gets besides its events: the transaction their effects must be written in. */
export interface InboxTransaction {
  manager: EntityManager;
  /** Adds events to the outbox in this same transaction. */
  publish(messages: readonly OutboxMessage[]): Promise<void>;
  /**
   * Runs `callback` once this transaction has committed, never if it rolls back: a wake-up for
   * work the effect made due, never an effect itself (a crash before it runs loses nothing).
   */
  afterCommit(callback: () => void): void;
}

/**
 * Applies a run of events of one type, first seen and in offset order, set-based where it can.
 * Every event of the run either takes effect in `transaction` or the handler throws: a
 * PermanentEventError naming one event's id dead-letters that event and applies the rest again.
 */
export type ChunkHandler = (events: readonly EventEnvelope[], transaction: InboxTransaction) => Promise<void>;
export type HandlerLookup = (eventType: string) => ChunkHandler | undefined;

/** Thrown by a handler for an event that can never be applied; it is dead-lettered at once. */
export class PermanentEventError extends Error {
  override readonly name = 'PermanentEventError';
  /** The event that can never be applied; without it the chunk's events are tried one by one. */
  readonly eventId: string | undefined;

  constructor(message: string, options: { cause?: unknown; eventId?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.eventId = options.eventId;
  }
}

/** The consumer is stopping or lost the partition: abandon the batch without committing it. */
class BatchAbandoned extends Error {
  override readonly name = 'BatchAbandoned';
}

interface Delivery {
  record: IncomingRecord;
  event: EventEnvelope;
  handler: ChunkHandler;
}

/** A chunk of one fetched batch, waiting to be applied with the chunks of other partitions. */
interface PendingChunk {
  records: readonly IncomingRecord[];
  batch: IncomingBatch;
}

/** What a group of chunks needs of their batches while it retries. */
interface GroupLiveness {
  heartbeat(): Promise<void>;
  /** False once any of the group's batches is no longer ours to apply. */
  isActive(): boolean;
}

export interface InboxConsumerDependencies {
  dataSource: DataSource;
  kafka: KafkaClient;
  /** Connected by the owner; used for dead letters. */
  producer: RecordProducer;
  registry: EventTypeRegistry;
  handlerFor: HandlerLookup;
  logger: MessagingLogger;
  metricsRegistry: Registry;
}

/**
 * The idempotent consumer. For each chunk of a fetched batch it records the event ids in the
 * inbox and applies the handlers in ONE database transaction; a redelivered event finds its id
 * there and is acknowledged without effect. Offsets are committed only after that transaction.
 * Chunks of different partitions that arrive together — a fetch's batches, or those that came in
 * while a transaction ran — share one transaction (at most `chunkSize` events beyond the first
 * chunk), so a fetch costs one transaction however many partitions it brought.
 *
 * Failure handling, so that a partition never blocks forever and nothing is dropped silently:
 * - a record that does not parse or validate goes to `<topic>.dlq` with the reason;
 * - the database being unavailable is retried with capped backoff until it returns or we stop;
 * - when a chunk fails for another reason, its events are applied one by one, each retried up to
 *   `maxAttempts` times (or none, for PermanentEventError) and then dead-lettered.
 */
export class InboxConsumer {
  private consumer: RecordConsumer | undefined;
  private readonly stopped = new AbortController();
  private readonly metrics: InboxMetrics;
  private readonly chunks: GroupedRunner<PendingChunk>;

  constructor(
    private readonly dependencies: InboxConsumerDependencies,
    private readonly settings: InboxSettings,
  ) {
    this.metrics = new InboxMetrics(dependencies.metricsRegistry);
    this.chunks = new GroupedRunner(
      (group) => this.processGroup(group),
      (pending) => pending.records.length,
      settings.chunkSize,
    );
    this.consumer = dependencies.kafka.consumer({ ...settings, groupId: settings.consumerName });
    this.consumer.onAssignmentChange((assignment) =>
      this.metrics.recordAssignment(settings.topics, assignment),
    );
  }

  /**
   * Joins the group and runs. A service must start while its broker is away (restarting, or down
   * longer): until Kafka answers, this tries again `restartBackoff` apart. Resolves once the consumer
   * runs, or once stop() is called.
   */
  async start(): Promise<void> {
    const consumer = this.consumer;
    if (consumer === undefined) throw new Error(`inbox consumer ${this.settings.consumerName} was stopped`);
    const { signal } = this.stopped;
    for (let attempt = 0; !signal.aborted; attempt += 1) {
      try {
        await consumer.connect();
        if (signal.aborted) break;
        await consumer.subscribe(this.settings.topics, this.settings.fromBeginning);
        if (signal.aborted) break;
        await consumer.run((batch) => this.processBatch(batch));
        if (attempt > 0)
          this.dependencies.logger.info(
            { consumer: this.settings.consumerName, attempt },
            'kafka consumer started',
          );
        return;
      } catch (error) {
        if (signal.aborted) break;
        this.dependencies.logger.warn(
          { err: error, consumer: this.settings.consumerName, attempt },
          'kafka consumer could not start; trying again',
        );
        await delay(fullJitterDelayMs(attempt, this.settings.restartBackoff), undefined, { signal }).catch(
          () => undefined,
        );
      }
    }
    // stop() came while a step was under way: what that step opened is closed here.
    await consumer.disconnect().catch(() => undefined);
  }

  /**
   * Stops fetching, lets the chunk in flight finish and commit, then leaves the group. A start still
   * waiting for the broker gives up.
   */
  async stop(): Promise<void> {
    this.stopped.abort();
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer === undefined) return;
    await consumer.stop();
    await consumer.disconnect();
  }

  private async processBatch(batch: IncomingBatch): Promise<void> {
    const { chunkSize } = this.settings;
    for (let start = 0; start < batch.records.length; start += chunkSize) {
      if (!batch.isActive()) return;
      const chunk = batch.records.slice(start, start + chunkSize);
      try {
        await this.chunks.submit({ records: chunk, batch });
      } catch (error) {
        if (error instanceof BatchAbandoned) return;
        throw error;
      }
      const last = chunk[chunk.length - 1];
      if (last === undefined) continue;
      await batch.commitThrough(last.offset);
      await batch.heartbeat();
      this.metrics.lag.set(
        { consumer: this.settings.consumerName, topic: batch.topic, partition: String(batch.partition) },
        Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n),
      );
    }
  }

  /** Chunks of one partition come in offset order, so events of one key keep their order. */
  private async processGroup(group: readonly PendingChunk[]): Promise<void> {
    const liveness = livenessOf(group.map((pending) => pending.batch));
    let deliveries: Delivery[] = [];
    for (const pending of group) deliveries.push(...(await this.deliveriesOf(pending.records)));
    // Each pass either applies the group or removes one event it names as unappliable.
    while (deliveries.length > 0) {
      try {
        await this.whileDatabaseUnavailable(liveness, () => this.apply(deliveries));
        return;
      } catch (error) {
        if (error instanceof BatchAbandoned) throw error;
        const rejected = rejectedDelivery(error, deliveries);
        if (rejected === undefined) {
          // Isolate the event that fails, so the others in the group still take effect.
          for (const delivery of deliveries) await this.applyAlone(delivery, liveness);
          return;
        }
        await this.reject(rejected, error);
        deliveries = deliveries.filter((delivery) => delivery !== rejected);
      }
    }
  }

  /**
   * The records this consumer handles, parsed and validated. The type is read from its header
   * first, so a record of a type without a handler costs no parsing; a record without a usable
   * type header is parsed to find out why, and dead-lettered.
   */
  private async deliveriesOf(chunk: readonly IncomingRecord[]): Promise<Delivery[]> {
    const deliveries: Delivery[] = [];
    for (const record of chunk) {
      const declaredType = headerAsString(record.headers[CLOUDEVENTS_HEADERS.type]);
      const handler = declaredType === undefined ? undefined : this.dependencies.handlerFor(declaredType);
      if (declaredType !== undefined && handler === undefined) {
        this.metrics.ignored.inc({ consumer: this.settings.consumerName, topic: record.topic });
        continue;
      }
      const parsed = parseKafkaRecord(record, this.dependencies.registry);
      if (!parsed.ok) {
        await this.deadLetter(record, parsed.reason, parsed.detail);
        continue;
      }
      if (handler === undefined) continue;
      deliveries.push({ record, event: parsed.envelope, handler });
    }
    return deliveries;
  }

  private async reject(delivery: Delivery, error: unknown): Promise<void> {
    this.dependencies.logger.error(
      { err: error, eventId: delivery.event.id, eventType: delivery.event.type },
      'event dead-lettered',
    );
    await this.deadLetter(delivery.record, 'handler_rejected', messageOf(error));
  }

  private async applyAlone(delivery: Delivery, liveness: GroupLiveness): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.whileDatabaseUnavailable(liveness, () => this.apply([delivery]));
        return;
      } catch (error) {
        if (error instanceof BatchAbandoned) throw error;
        const permanent = error instanceof PermanentEventError;
        if (permanent || attempt >= this.settings.maxAttempts) {
          const reason = permanent ? 'handler_rejected' : 'handler_failed';
          this.dependencies.logger.error(
            { err: error, eventId: delivery.event.id, eventType: delivery.event.type, attempt },
            'event dead-lettered',
          );
          await this.deadLetter(delivery.record, reason, messageOf(error));
          return;
        }
        this.metrics.retries.inc({ consumer: this.settings.consumerName, kind: 'handler' });
        await delay(this.retryDelayMs(attempt));
        await liveness.heartbeat();
        if (!liveness.isActive()) throw new BatchAbandoned();
      }
    }
  }

  /** Runs `work` again while the database is unreachable; other errors are the caller's. */
  private async whileDatabaseUnavailable(liveness: GroupLiveness, work: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await work();
        return;
      } catch (error) {
        if (!isTransientDatabaseError(error)) throw error;
        this.metrics.retries.inc({ consumer: this.settings.consumerName, kind: 'database' });
        this.dependencies.logger.warn({ err: error, attempt }, 'database unavailable; retrying');
        await delay(this.retryDelayMs(attempt));
        await liveness.heartbeat().catch(() => undefined);
        if (!liveness.isActive()) throw new BatchAbandoned();
      }
    }
  }

  /** One transaction: inbox rows and every handler's effect commit together, or nothing does. */
  private async apply(deliveries: readonly Delivery[]): Promise<void> {
    let applied: readonly Delivery[] = [];
    let committedCallbacks: (() => void)[] = [];
    await this.dependencies.dataSource.transaction(async (manager) => {
      const callbacks: (() => void)[] = [];
      committedCallbacks = callbacks;
      const firstSeen = firstSeenOf(deliveries, await this.recordInInbox(manager, deliveries));
      applied = firstSeen;
      const transaction: InboxTransaction = {
        manager,
        publish: (messages) => appendToOutbox(manager, messages),
        afterCommit: (callback) => callbacks.push(callback),
      };
      for (const run of runsOfOneHandler(firstSeen)) {
        await run.handler(
          run.deliveries.map((delivery) => delivery.event),
          transaction,
        );
      }
    });
    for (const callback of committedCallbacks) this.runAfterCommit(callback);
    this.countByTopic(deliveries, applied);
  }

  private countByTopic(deliveries: readonly Delivery[], applied: readonly Delivery[]): void {
    const consumer = this.settings.consumerName;
    const appliedSet = new Set(applied);
    const counts = new Map<string, { applied: number; duplicates: number }>();
    for (const delivery of deliveries) {
      const count = counts.get(delivery.record.topic) ?? { applied: 0, duplicates: 0 };
      if (appliedSet.has(delivery)) count.applied += 1;
      else count.duplicates += 1;
      counts.set(delivery.record.topic, count);
    }
    for (const [topic, count] of counts) {
      this.metrics.applied.inc({ consumer, topic }, count.applied);
      this.metrics.duplicates.inc({ consumer, topic }, count.duplicates);
    }
  }

  /** One multi-row insert; returns the ids that were not in the inbox before. */
  private async recordInInbox(manager: EntityManager, deliveries: readonly Delivery[]): Promise<Set<string>> {
    const inserted = await runPrepared<{ event_id: string }>(manager, RECORD_IN_INBOX, [
      this.settings.consumerName,
      deliveries.map((delivery) => delivery.event.id),
      deliveries.map((delivery) => delivery.event.type),
      deliveries.map((delivery) => delivery.record.topic),
      deliveries.map((delivery) => delivery.record.partition),
      deliveries.map((delivery) => delivery.record.offset),
    ]);
    return new Set(inserted.map((row) => row.event_id));
  }

  private runAfterCommit(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.dependencies.logger.warn(
        { consumer: this.settings.consumerName, detail: messageOf(error) },
        'an after-commit callback failed; the committed effect stands',
      );
    }
  }

  private async deadLetter(record: IncomingRecord, reason: string, detail: string): Promise<void> {
    const consumer = this.settings.consumerName;
    await this.dependencies.producer.send([deadLetterRecord(record, consumer, reason, detail)]);
    this.metrics.deadLettered.inc({ consumer, topic: record.topic, reason });
    this.dependencies.logger.warn(
      { topic: record.topic, partition: record.partition, offset: record.offset, reason, detail },
      'record sent to the dead-letter topic',
    );
  }

  private retryDelayMs(attempt: number): number {
    return fullJitterDelayMs(attempt, {
      initialDelayMs: this.settings.retryInitialDelayMs,
      maxDelayMs: this.settings.retryMaxDelayMs,
    });
  }
}

/** The group's batches heartbeat through one consumer; the group is ours while all of them are. */
function livenessOf(batches: readonly IncomingBatch[]): GroupLiveness {
  return {
    heartbeat: () => batches[0]?.heartbeat() ?? Promise.resolve(),
    isActive: () => batches.every((batch) => batch.isActive()),
  };
}

/** The deliveries whose id the inbox had not seen, each once, in offset order. */
function firstSeenOf(deliveries: readonly Delivery[], newIds: Set<string>): Delivery[] {
  // delete() so that a second copy of the same event within this chunk is a duplicate too.
  return deliveries.filter((delivery) => newIds.delete(delivery.event.id));
}

/** Consecutive deliveries with the same handler, so that events of one key keep their order. */
function runsOfOneHandler(
  deliveries: readonly Delivery[],
): { handler: ChunkHandler; deliveries: Delivery[] }[] {
  const runs: { handler: ChunkHandler; deliveries: Delivery[] }[] = [];
  for (const delivery of deliveries) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.handler === delivery.handler) last.deliveries.push(delivery);
    else runs.push({ handler: delivery.handler, deliveries: [delivery] });
  }
  return runs;
}

/** The delivery a PermanentEventError names, if it names one of these. */
function rejectedDelivery(error: unknown, deliveries: readonly Delivery[]): Delivery | undefined {
  if (!(error instanceof PermanentEventError) || error.eventId === undefined) return undefined;
  return deliveries.find((delivery) => delivery.event.id === error.eventId);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
