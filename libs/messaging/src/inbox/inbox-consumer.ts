import type { DataSource, EntityManager } from 'typeorm';
import type { Registry } from 'prom-client';
import { parseKafkaRecord, type EventEnvelope, type EventTypeRegistry } from '@keel/contracts';
import { isTransientDatabaseError } from '@keel/database';
import { continueContext, runWithContext } from '@keel/observability';
import type { IncomingBatch, KafkaClient, RecordConsumer, RecordProducer } from '../kafka/kafka-client';
import type { IncomingRecord } from '../kafka/kafka-records';
import type { MessagingLogger } from '../messaging-logger';
import { appendToOutbox, type OutboxMessage } from '../outbox/outbox-message';
import { backoffDelayMs, sleep } from '../backoff.util';
import { deadLetterRecord } from './dead-letter';
import { InboxMetrics } from './inbox-metrics';
import type { InboxSettings } from './inbox-settings';

/** What a handler gets besides the event: the transaction its effect must be written in. */
export interface InboxTransaction {
  manager: EntityManager;
  record: IncomingRecord;
  /** Adds events to the outbox in this same transaction. */
  publish(messages: readonly OutboxMessage[]): Promise<void>;
  /**
   * Runs `callback` once this transaction has committed, never if it rolls back: a wake-up for
   * work the effect made due, never an effect itself (a crash before it runs loses nothing).
   */
  afterCommit(callback: () => void): void;
}

export type EventHandler = (event: EventEnvelope, transaction: InboxTransaction) => Promise<void>;
export type HandlerLookup = (eventType: string) => EventHandler | undefined;

/** Thrown by a handler for an event that can never be applied; it is dead-lettered at once. */
export class PermanentEventError extends Error {
  override readonly name = 'PermanentEventError';
}

/** The consumer is stopping or lost the partition: abandon the batch without committing it. */
class BatchAbandoned extends Error {
  override readonly name = 'BatchAbandoned';
}

interface Delivery {
  record: IncomingRecord;
  event: EventEnvelope;
  handler: EventHandler;
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
 *
 * Failure handling, so that a partition never blocks forever and nothing is dropped silently:
 * - a record that does not parse or validate goes to `<topic>.dlq` with the reason;
 * - the database being unavailable is retried with capped backoff until it returns or we stop;
 * - when a chunk fails for another reason, its events are applied one by one, each retried up to
 *   `maxAttempts` times (or none, for PermanentEventError) and then dead-lettered.
 */
export class InboxConsumer {
  private consumer: RecordConsumer | undefined;
  private readonly metrics: InboxMetrics;

  constructor(
    private readonly dependencies: InboxConsumerDependencies,
    private readonly settings: InboxSettings,
  ) {
    this.metrics = new InboxMetrics(dependencies.metricsRegistry);
  }

  async start(): Promise<void> {
    const consumer = this.dependencies.kafka.consumer({
      ...this.settings,
      groupId: this.settings.consumerName,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe(this.settings.topics, this.settings.fromBeginning);
    await consumer.run((batch) => this.processBatch(batch));
  }

  /** Stops fetching, lets the chunk in flight finish and commit, then leaves the group. */
  async stop(): Promise<void> {
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
        await this.processChunk(chunk, batch);
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

  private async processChunk(chunk: readonly IncomingRecord[], batch: IncomingBatch): Promise<void> {
    const deliveries: Delivery[] = [];
    for (const record of chunk) {
      const parsed = parseKafkaRecord(record, this.dependencies.registry);
      if (!parsed.ok) {
        await this.deadLetter(record, parsed.reason, parsed.detail);
        continue;
      }
      const handler = this.dependencies.handlerFor(parsed.envelope.type);
      if (handler === undefined) {
        this.metrics.ignored.inc({ consumer: this.settings.consumerName, topic: record.topic });
        continue;
      }
      deliveries.push({ record, event: parsed.envelope, handler });
    }
    if (deliveries.length === 0) return;
    try {
      await this.whileDatabaseUnavailable(batch, () => this.apply(deliveries));
    } catch (error) {
      if (error instanceof BatchAbandoned) throw error;
      // Isolate the event that fails, so the others in the chunk still take effect.
      for (const delivery of deliveries) await this.applyAlone(delivery, batch);
    }
  }

  private async applyAlone(delivery: Delivery, batch: IncomingBatch): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.whileDatabaseUnavailable(batch, () => this.apply([delivery]));
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
        await sleep(this.retryDelayMs(attempt));
        await batch.heartbeat();
        if (!batch.isActive()) throw new BatchAbandoned();
      }
    }
  }

  /** Runs `work` again while the database is unreachable; other errors are the caller's. */
  private async whileDatabaseUnavailable(batch: IncomingBatch, work: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await work();
        return;
      } catch (error) {
        if (!isTransientDatabaseError(error)) throw error;
        this.metrics.retries.inc({ consumer: this.settings.consumerName, kind: 'database' });
        this.dependencies.logger.warn({ err: error, attempt }, 'database unavailable; retrying');
        await sleep(this.retryDelayMs(attempt));
        await batch.heartbeat().catch(() => undefined);
        if (!batch.isActive()) throw new BatchAbandoned();
      }
    }
  }

  /** One transaction: inbox rows and every handler's effect commit together, or nothing does. */
  private async apply(deliveries: readonly Delivery[]): Promise<void> {
    const consumer = this.settings.consumerName;
    let applied = 0;
    let committedCallbacks: (() => void)[] = [];
    await this.dependencies.dataSource.transaction(async (manager) => {
      applied = 0;
      const callbacks: (() => void)[] = [];
      committedCallbacks = callbacks;
      const inserted = (await manager.query(
        `INSERT INTO inbox (consumer, event_id, event_type, topic, kafka_partition, kafka_offset)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[])
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [
          consumer,
          deliveries.map((delivery) => delivery.event.id),
          deliveries.map((delivery) => delivery.event.type),
          deliveries.map((delivery) => delivery.record.topic),
          deliveries.map((delivery) => delivery.record.partition),
          deliveries.map((delivery) => delivery.record.offset),
        ],
      )) as { event_id: string }[];
      const firstSeen = new Set(inserted.map((row) => row.event_id));
      for (const delivery of deliveries) {
        // delete() so that a second copy of the same event within this chunk is a duplicate too.
        if (!firstSeen.delete(delivery.event.id)) continue;
        // The handler's logs and the events it publishes continue the trace of the event.
        const context = continueContext({
          traceparent: delivery.event.traceparent,
          correlationId: delivery.event.id,
        });
        await runWithContext(context, () =>
          delivery.handler(delivery.event, {
            manager,
            record: delivery.record,
            publish: (messages) => appendToOutbox(manager, messages),
            afterCommit: (callback) => callbacks.push(callback),
          }),
        );
        applied += 1;
      }
    });
    for (const callback of committedCallbacks) this.runAfterCommit(callback);
    const topic = deliveries[0]?.record.topic ?? '';
    this.metrics.applied.inc({ consumer, topic }, applied);
    this.metrics.duplicates.inc({ consumer, topic }, deliveries.length - applied);
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
    return backoffDelayMs(attempt, {
      initialDelayMs: this.settings.retryInitialDelayMs,
      maxDelayMs: this.settings.retryMaxDelayMs,
    });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
