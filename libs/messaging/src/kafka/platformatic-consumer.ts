import type { Consumer, ConsumerGroupJoinPayload, Message, MessagesStream } from '@platformatic/kafka';
import { setTimeout as sleep } from 'node:timers/promises';
import { fullJitterDelayMs } from '@keel/backoff';
import type { MessagingLogger } from '../messaging-logger';
import { AssignmentListeners } from './assignment-listeners';
import type { ConsumerSettings, IncomingBatch, PartitionAssignment, RecordConsumer } from './kafka-client';
import type { HeaderValue, IncomingRecord } from './kafka-records';
import type { PlatformaticBaseOptions } from './platformatic-client';
import type { PlatformaticKafka } from './platformatic-module';

type Stream = MessagesStream<Buffer, Buffer, Buffer, Buffer>;

/** Records buffered across partitions before the fetch stream is paused (backpressure). */
const BUFFERED_RECORDS_MAX = 5_000;
/** Records handed to one onBatch call, so a batch stays short enough to commit often. */
const BATCH_RECORDS_MAX = 1_000;

interface PartitionQueue {
  topic: string;
  partition: number;
  messages: Message<Buffer, Buffer, Buffer, Buffer>[];
  busy: boolean;
}

/**
 * A kafkajs-style batch consumer over @platformatic/kafka's message stream. The stream delivers
 * records one by one in fetch order; this class queues them per partition and hands each partition's
 * queue to `onBatch` as one batch, at most `partitionsConsumedConcurrently` partitions at a time.
 *
 * Whenever the consumed positions may differ from the committed ones — a rebalance, a batch that
 * rejected, or one that returned without committing all its records — the consumer starts over
 * from the committed offsets: batches in flight turn inactive, queues are dropped, and a fresh stream
 * (mode `committed`) replaces the old one. The new stream is opened before the old one is closed, so
 * the group membership is kept and no extra rebalance is triggered. Redelivery is harmless (inbox).
 */
export class PlatformaticRecordConsumer implements RecordConsumer {
  private readonly consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;
  private readonly assignment = new AssignmentListeners();
  private topics: string[] = [];
  private fromBeginning = false;
  private stream: Stream | undefined;
  private onBatch: ((batch: IncomingBatch) => Promise<void>) | undefined;
  private readonly queues = new Map<string, PartitionQueue>();
  private readonly inFlight = new Set<Promise<void>>();
  private bufferedRecords = 0;
  /** Bumped on every restart; a batch is active only while its epoch is the current one. */
  private epoch = 0;
  private running = false;
  private restarting: Promise<void> | undefined;
  private restartRequested = false;
  private dispatchScheduled = false;
  /** Stream failures since a batch last went through; paces reopening while Kafka is down. */
  private streamFailures = 0;

  constructor(
    private readonly kafka: PlatformaticKafka,
    base: PlatformaticBaseOptions,
    private readonly settings: ConsumerSettings,
    private readonly logger: MessagingLogger,
  ) {
    this.consumer = new kafka.Consumer({
      ...base,
      groupId: settings.groupId,
      // Static membership: a member that returns under this name gets its partitions back at once.
      // On close the client sends LeaveGroup for a static member too, so a graceful stop hands its
      // partitions over at once instead of after the session timeout.
      ...(settings.groupInstanceId === undefined ? {} : { groupInstanceId: settings.groupInstanceId }),
      sessionTimeout: settings.sessionTimeoutMs,
      rebalanceTimeout: settings.rebalanceTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      maxBytesPerPartition: settings.maxBytesPerPartition,
      // Offsets move only when we say so, after the database transaction has committed.
      autocommit: false,
    });
    this.consumer.on('consumer:group:join', ({ assignments }: ConsumerGroupJoinPayload) => {
      this.assignment.changed(
        new Map((assignments ?? []).map((assigned) => [assigned.topic, assigned.partitions])),
      );
      this.requestRestart('rebalance');
    });
    this.consumer.on('consumer:group:rebalance', () => this.assignment.revoked());
    this.consumer.on('consumer:group:leave', () => this.assignment.revoked());
  }

  onAssignmentChange(listener: (assignment: PartitionAssignment) => void): void {
    this.assignment.add(listener);
  }

  /** The client connects on first use; there is nothing to open ahead of subscribe and run. */
  connect(): Promise<void> {
    return Promise.resolve();
  }

  subscribe(topics: readonly string[], fromBeginning: boolean): Promise<void> {
    this.topics = [...topics];
    this.fromBeginning = fromBeginning;
    return Promise.resolve();
  }

  async run(onBatch: (batch: IncomingBatch) => Promise<void>): Promise<void> {
    this.assignment.revoked();
    this.onBatch = onBatch;
    this.running = true;
    this.attach(await this.openStream());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.epoch += 1;
    await this.restarting;
    const stream = this.stream;
    this.stream = undefined;
    this.dropQueues();
    await Promise.all([...this.inFlight]);
    if (stream !== undefined) await stream.close();
  }

  async disconnect(): Promise<void> {
    if (this.running) await this.stop();
    try {
      await this.consumer.close(true);
    } catch (error) {
      // Closing leaves the group first; with no broker to answer the member cannot leave, and its
      // session expiring removes it instead. Like kafkajs, a stop does not fail for that.
      this.logger.warn(
        { err: error, groupId: this.settings.groupId },
        'platformatic-kafka: could not leave the group while closing; its session will expire',
      );
    }
  }

  private openStream(): Promise<Stream> {
    return this.consumer.consume({
      topics: this.topics,
      mode: this.kafka.MessagesStreamModes.COMMITTED,
      fallbackMode: this.fromBeginning
        ? this.kafka.MessagesStreamFallbackModes.EARLIEST
        : this.kafka.MessagesStreamFallbackModes.LATEST,
      autocommit: false,
      sessionTimeout: this.settings.sessionTimeoutMs,
      rebalanceTimeout: this.settings.rebalanceTimeoutMs,
      heartbeatInterval: this.settings.heartbeatIntervalMs,
      maxWaitTime: this.settings.fetchMaxWaitMs,
      minBytes: this.settings.fetchMinBytes,
      maxBytesPerPartition: this.settings.maxBytesPerPartition,
      // The stream's own buffer (1,024 records by default) would stall fetching well below ours.
      highWaterMark: BUFFERED_RECORDS_MAX,
    });
  }

  private attach(stream: Stream): void {
    this.stream = stream;
    stream.on('data', (message: Message<Buffer, Buffer, Buffer, Buffer>) => {
      if (stream === this.stream) this.enqueue(message);
    });
    stream.on('error', (error: Error) => {
      if (stream !== this.stream) return;
      this.logger.warn(
        { err: error, failures: this.streamFailures },
        'platformatic-kafka: fetch stream failed; restarting it',
      );
      this.streamFailures += 1;
      this.requestRestart('stream error');
    });
  }

  private enqueue(message: Message<Buffer, Buffer, Buffer, Buffer>): void {
    const key = `${message.topic}:${message.partition}`;
    let queue = this.queues.get(key);
    if (queue === undefined) {
      queue = { topic: message.topic, partition: message.partition, messages: [], busy: false };
      this.queues.set(key, queue);
    }
    queue.messages.push(message);
    this.bufferedRecords += 1;
    if (this.bufferedRecords >= BUFFERED_RECORDS_MAX) this.stream?.pause();
    this.scheduleDispatch();
  }

  /** The stream emits a fetch response record by record; dispatch once the whole response is queued. */
  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    setImmediate(() => {
      this.dispatchScheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    if (!this.running || this.restarting !== undefined) return;
    for (const queue of this.queues.values()) {
      if (this.inFlight.size >= this.settings.partitionsConsumedConcurrently) return;
      if (queue.busy || queue.messages.length === 0) continue;
      const messages = queue.messages.splice(0, BATCH_RECORDS_MAX);
      this.bufferedRecords -= messages.length;
      if (this.bufferedRecords < BUFFERED_RECORDS_MAX) this.stream?.resume();
      queue.busy = true;
      const work = this.deliver(queue, messages).finally(() => {
        queue.busy = false;
        this.inFlight.delete(work);
        this.dispatch();
      });
      this.inFlight.add(work);
    }
  }

  private async deliver(
    queue: PartitionQueue,
    messages: Message<Buffer, Buffer, Buffer, Buffer>[],
  ): Promise<void> {
    const epoch = this.epoch;
    const last = messages[messages.length - 1];
    if (this.onBatch === undefined || last === undefined) return;
    let committedThrough = -1n;
    const isActive = () => this.running && epoch === this.epoch;
    try {
      await this.onBatch({
        topic: queue.topic,
        partition: queue.partition,
        records: messages.map(toIncomingRecord),
        // The stream does not expose the fetch's high watermark; the last fetched offset + 1 is a
        // lower bound, so the lag computed from it reads low until the next batch.
        highWatermark: String(last.offset + 1n),
        commitThrough: async (offset) => {
          const through = BigInt(offset);
          const message = messages.find((candidate) => candidate.offset === through);
          if (message === undefined) throw new Error(`offset ${offset} is not in this batch`);
          await message.commit();
          committedThrough = through;
        },
        // The client heartbeats on its own timer; a rebalance shows up as isActive() turning false.
        heartbeat: () => Promise.resolve(),
        isActive,
      });
      this.streamFailures = 0;
      if (committedThrough < last.offset && isActive()) this.requestRestart('batch left uncommitted records');
    } catch (error) {
      if (isActive()) {
        this.logger.warn(
          { err: error, topic: queue.topic, partition: queue.partition },
          'batch failed; refetching',
        );
        this.requestRestart('batch failed');
      }
    }
  }

  private requestRestart(reason: string): void {
    if (!this.running || this.stream === undefined) return;
    this.epoch += 1;
    this.dropQueues();
    if (this.restarting !== undefined) {
      this.restartRequested = true;
      return;
    }
    this.logger.debug(
      { reason, groupId: this.settings.groupId },
      'platformatic-kafka: refetching from committed',
    );
    this.restarting = this.restart()
      .catch((error: unknown) => this.logger.error({ err: error }, 'platformatic-kafka: restart failed'))
      .finally(() => {
        this.restarting = undefined;
        if (this.restartRequested) {
          this.restartRequested = false;
          this.requestRestart('requested during restart');
        } else {
          this.dispatch();
        }
      });
  }

  /** Reopens the stream, retrying with backoff while Kafka is unreachable, until it opens or we stop. */
  private async restart(): Promise<void> {
    await Promise.all([...this.inFlight]);
    if (this.streamFailures > 0)
      await sleep(fullJitterDelayMs(this.streamFailures, this.settings.restartBackoff));
    const previous = this.stream;
    for (let attempt = 0; this.running; attempt += 1) {
      try {
        this.attach(await this.openStream());
        this.dropQueues();
        break;
      } catch (error) {
        this.logger.warn(
          { err: error, attempt },
          'platformatic-kafka: cannot reopen the fetch stream; retrying',
        );
        await sleep(fullJitterDelayMs(attempt, this.settings.restartBackoff));
      }
    }
    if (previous !== undefined && previous !== this.stream) await previous.close();
  }

  private dropQueues(): void {
    this.queues.clear();
    this.bufferedRecords = 0;
    this.stream?.resume();
  }
}

function toIncomingRecord(message: Message<Buffer, Buffer, Buffer, Buffer>): IncomingRecord {
  const headers: Record<string, HeaderValue> = {};
  for (const [name, value] of message.headers) headers[name.toString('utf8')] = value;
  return {
    topic: message.topic,
    partition: message.partition,
    offset: String(message.offset),
    key: message.key ?? null,
    value: message.value ?? null,
    headers,
    timestamp: String(message.timestamp),
  };
}
