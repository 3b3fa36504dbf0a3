import type { DataSource, QueryRunner } from 'typeorm';
import type { Registry } from 'prom-client';
import { fullJitterDelayMs } from '@keel/backoff';
import type { RecordProducer } from '../kafka/kafka-client';
import type { OutgoingRecord } from '../kafka/kafka-records';
import type { MessagingLogger } from '../messaging-logger';
import { OutboxMetrics } from './outbox-metrics';

export interface OutboxRelaySettings {
  /** Rows read, sent and marked per round. */
  batchSize: number;
  /**
   * Longest wait between rounds when nothing wakes the relay: a commit in this process wakes it at
   * once; rows written by another instance of the service wait for this poll.
   */
  pollIntervalMs: number;
  /** How often a standby instance tries to become the active relay. */
  standbyRetryMs: number;
  errorBackoffInitialMs: number;
  errorBackoffMaxMs: number;
  /**
   * Inbox rows (processed event ids) are kept this long, then deleted: longer than any redelivery
   * can come late (the topics' retention), so a redelivered event still finds its id.
   */
  inboxRetentionMs: number;
  cleanupIntervalMs: number;
  /** Rows one cleanup deletes at most, so that it never holds the table for long. */
  cleanupBatchSize: number;
  /** How often the backlog gauges are refreshed (a count over the unpublished index). */
  metricsIntervalMs: number;
}

export const DEFAULT_OUTBOX_RELAY_SETTINGS: OutboxRelaySettings = {
  batchSize: 500,
  pollIntervalMs: 250,
  standbyRetryMs: 5_000,
  errorBackoffInitialMs: 100,
  errorBackoffMaxMs: 10_000,
  inboxRetentionMs: 8 * 24 * 60 * 60 * 1_000,
  cleanupIntervalMs: 10_000,
  cleanupBatchSize: 5_000,
  metricsIntervalMs: 5_000,
};

/** Test seam: runs after a batch reached Kafka and before its rows are deleted. */
export type AfterSendHook = (eventIds: readonly string[]) => Promise<void>;

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  payload: string;
  headers: Record<string, string>;
}

/**
 * One statement a round: deletes the rows of the previous round, which the broker acknowledged,
 * and reads the next ones. The read sees the table as it was before the delete, so it leaves out
 * those ids itself.
 */
const TAKE_ROUND_SQL = `
  WITH acknowledged AS (DELETE FROM outbox WHERE id = ANY($1::uuid[]))
  SELECT id, aggregatetype AS topic, aggregateid AS key, payload::text AS payload, headers
    FROM outbox WHERE NOT (id = ANY($1::uuid[])) ORDER BY position LIMIT $2`;

/** Arbitrary but fixed: the advisory lock that makes one relay per database the active one. */
const RELAY_LOCK_KEY = 7_357_002;

/**
 * Publishes committed outbox rows to Kafka, in order per key, at least once.
 *
 * Why no committed row is ever skipped: the relay never keeps a cursor such as `position > last`.
 * Each round it reads the rows still in the table, in position order, and deletes them once the
 * broker acknowledged them. A transaction that took a lower position but commits late is simply
 * not visible yet; its rows are there whenever they become visible, and the next round takes them.
 *
 * Why order per key holds: rows of one key that depend on each other are written by transactions
 * that serialize on the aggregate, so the later one takes its position after the earlier one has
 * committed. Only one relay per database is active (a session advisory lock), and it sends a
 * round as one ordered batch through an idempotent producer; a failed round is sent again whole.
 *
 * A crash between send and delete republishes the round: consumers deduplicate by event id.
 *
 * No NOTIFY: PostgreSQL serialises every NOTIFYing commit of the server on one lock held until its
 * WAL is flushed. A commit that wrote outbox rows wakes the relay of its own process instead
 * (`wake`), and the poll covers rows written by other instances.
 */
export class OutboxRelay {
  private running = false;
  /** flush() was called: the loop ends after a round that started since then found the table drained. */
  private flushRequested = false;
  private loop: Promise<void> | undefined;
  private session: QueryRunner | undefined;
  private wakeIdle: (() => void) | undefined;
  /** A wake-up that arrived while a round was running; the next idle() returns at once. */
  private notified = false;
  /** Acknowledged by the broker; deleted by the next round's statement (or at stop). */
  private acknowledged: string[] = [];
  private lastCleanupAt = 0;
  private lastMetricsAt = 0;
  private readonly metrics: OutboxMetrics;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: RecordProducer,
    private readonly logger: MessagingLogger,
    metricsRegistry: Registry,
    private readonly settings: OutboxRelaySettings = DEFAULT_OUTBOX_RELAY_SETTINGS,
    private readonly afterSend?: AfterSendHook,
  ) {
    this.metrics = new OutboxMetrics(metricsRegistry);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the round in flight, then releases the lock and the session. */
  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    await this.loop;
    this.loop = undefined;
  }

  /**
   * Publishes every row committed before this call, then stops as stop() does: the last round
   * starts after the call, so it sees those rows, and it ends the loop once it reads fewer than a
   * batch. A standby relay tries once more to become the active one; if another instance still is,
   * that instance publishes them, and this one stops at once. Kafka being unreachable keeps it
   * retrying: the caller bounds the wait.
   */
  async flush(): Promise<void> {
    if (this.loop === undefined) return;
    this.flushRequested = true;
    this.notify();
    await this.loop;
    this.running = false;
    this.loop = undefined;
  }

  isActive(): boolean {
    return this.session !== undefined;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const flushing = this.flushRequested;
      try {
        if (this.session === undefined && !(await this.becomeActive())) {
          if (flushing) break;
          await this.idle(this.settings.standbyRetryMs);
          continue;
        }
        const sent = await this.publishRound();
        failures = 0;
        if (sent < this.settings.batchSize && flushing) break;
        await this.housekeeping();
        if (sent < this.settings.batchSize) await this.idle(this.settings.pollIntervalMs);
      } catch (error) {
        failures += 1;
        this.metrics.errors.inc();
        this.logger.error({ err: error, failures }, 'outbox relay round failed; retrying');
        await this.dropSession();
        await this.idle(
          fullJitterDelayMs(failures, {
            initialDelayMs: this.settings.errorBackoffInitialMs,
            maxDelayMs: this.settings.errorBackoffMaxMs,
          }),
        );
      }
    }
    await this.deleteAcknowledged().catch((error: unknown) => {
      this.logger.warn(
        { err: error },
        'acknowledged outbox rows not deleted at stop; they will be sent again',
      );
    });
    await this.dropSession();
  }

  private async becomeActive(): Promise<boolean> {
    const session = this.dataSource.createQueryRunner();
    await session.connect();
    try {
      const [{ locked }] = (await session.query('SELECT pg_try_advisory_lock($1) AS locked', [
        RELAY_LOCK_KEY,
      ])) as [{ locked: boolean }];
      if (!locked) {
        await session.release();
        return false;
      }
      this.session = session;
      this.logger.info({}, 'outbox relay is active');
      return true;
    } catch (error) {
      await session.release().catch(() => undefined);
      throw error;
    }
  }

  private async dropSession(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session === undefined) return;
    // Releasing the connection ends the session's advisory lock with it.
    await session.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await session.release().catch(() => undefined);
  }

  /** Sends one round; returns how many rows it published. */
  private async publishRound(): Promise<number> {
    const session = this.requireSession();
    const rows = (await session.query(TAKE_ROUND_SQL, [
      this.acknowledged,
      this.settings.batchSize,
    ])) as OutboxRow[];
    this.acknowledged = [];
    if (rows.length === 0) return 0;
    const records: OutgoingRecord[] = rows.map((row) => ({
      topic: row.topic,
      key: row.key,
      value: Buffer.from(row.payload, 'utf8'),
      headers: row.headers,
    }));
    await this.producer.send(records);
    const eventIds = rows.map((row) => row.id);
    await this.afterSend?.(eventIds);
    this.acknowledged = eventIds;
    this.metrics.published.inc(rows.length);
    return rows.length;
  }

  private async deleteAcknowledged(): Promise<void> {
    if (this.session === undefined || this.acknowledged.length === 0) return;
    await this.session.query('DELETE FROM outbox WHERE id = ANY($1::uuid[])', [this.acknowledged]);
    this.acknowledged = [];
  }

  private async housekeeping(): Promise<void> {
    const now = Date.now();
    const session = this.requireSession();
    if (now - this.lastMetricsAt >= this.settings.metricsIntervalMs) {
      this.lastMetricsAt = now;
      const [backlog] = (await session.query(
        `SELECT count(*)::int AS rows, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age
           FROM outbox WHERE NOT (id = ANY($1::uuid[]))`,
        [this.acknowledged],
      )) as [{ rows: number; age: number }];
      this.metrics.backlogRows.set(backlog.rows);
      this.metrics.oldestUnpublishedAgeSeconds.set(backlog.age);
    }
    if (now - this.lastCleanupAt >= this.settings.cleanupIntervalMs) {
      this.lastCleanupAt = now;
      await session.query(
        `DELETE FROM inbox WHERE ctid = ANY (ARRAY(
           SELECT ctid FROM inbox WHERE processed_at < now() - make_interval(secs => $1) LIMIT $2))`,
        [this.settings.inboxRetentionMs / 1_000, this.settings.cleanupBatchSize],
      );
    }
  }

  private requireSession(): QueryRunner {
    if (this.session === undefined) throw new Error('the outbox relay has no active session');
    return this.session;
  }

  /** Rows were committed to the outbox: start a round now rather than at the next poll. */
  wake(): void {
    this.notify();
  }

  private notify(): void {
    this.notified = true;
    this.wakeIdle?.();
  }

  /** Waits until a wake-up, stop(), or the timeout, whichever comes first. */
  private idle(timeoutMs: number): Promise<void> {
    if (!this.running || this.notified) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wakeIdle = undefined;
        this.notified = false;
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      this.wakeIdle = finish;
    });
  }
}
