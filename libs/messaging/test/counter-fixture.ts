import { setTimeout as sleep } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { createDataSource, runMigrationsUnderLock } from '@keel/database';
import { buildEnvelope, type EventTypeRegistry } from '@keel/contracts';
import { MESSAGING_MIGRATIONS } from '../src/messaging-tables.migration';
import { OutboxPublisher } from '../src/outbox/outbox-publisher';
import type { ChunkHandler, InboxConsumerDependencies } from '../src/inbox/inbox-consumer';
import type { KafkaClient, RecordProducer } from '../src/kafka/kafka-client';
import { silentLogger } from '../src/messaging-logger';
import { COUNTER_INCREMENTED, counterRegistry, type CounterIncremented } from './counter-event';

/** The effect table of the tests: one row per applied event, no unique key, so duplicates show. */
class CreateAppliedEvents1763900000001 implements MigrationInterface {
  name = 'CreateAppliedEvents1763900000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE applied_events (event_id text NOT NULL, counter_id text NOT NULL, amount int NOT NULL)',
    );
    await queryRunner.query('CREATE TABLE counters (id text PRIMARY KEY, total bigint NOT NULL DEFAULT 0)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE counters');
    await queryRunner.query('DROP TABLE applied_events');
  }
}

export async function openCounterDatabase(url: string, poolSize = 5): Promise<DataSource> {
  const dataSource = createDataSource(
    {
      url,
      applicationName: 'keel-messaging-test',
      poolSize,
      connectTimeoutMs: 5_000,
      statementTimeoutMs: 30_000,
      idleInTransactionTimeoutMs: 60_000,
    },
    [],
    [...MESSAGING_MIGRATIONS, CreateAppliedEvents1763900000001],
  );
  await dataSource.initialize();
  await runMigrationsUnderLock(dataSource);
  return dataSource;
}

/** The state change and its event in one transaction, as a service does it. */
export async function incrementCounter(
  manager: EntityManager,
  registry: EventTypeRegistry,
  data: CounterIncremented,
): Promise<string> {
  await manager.query(
    'INSERT INTO counters (id, total) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET total = counters.total + $2',
    [data.counterId, data.amount],
  );
  const envelope = buildEnvelope({ type: COUNTER_INCREMENTED, source: '/keel/test', data }, registry);
  await new OutboxPublisher(registry).publish(manager, [envelope]);
  return envelope.id;
}

/** Records each applied event with one insert per run; the tests count rows per event id. */
export function recordingHandler(delayMs = 0): ChunkHandler {
  return async (events, { manager }) => {
    const data = events.map((event) => event.data as unknown as CounterIncremented);
    await manager.query(
      `INSERT INTO applied_events (event_id, counter_id, amount)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[])`,
      [events.map((event) => event.id), data.map((item) => item.counterId), data.map((item) => item.amount)],
    );
    if (delayMs > 0) await sleep(delayMs * events.length);
  };
}

export async function appliedCounts(dataSource: DataSource): Promise<Map<string, number>> {
  const rows = (await dataSource.query(
    'SELECT event_id, count(*)::int AS times FROM applied_events GROUP BY event_id',
  )) as { event_id: string; times: number }[];
  return new Map(rows.map((row) => [row.event_id, row.times]));
}

/** What an inbox consumer of the counter topic needs: `handler` applies the counter events. */
export function counterConsumerDependencies(parts: {
  dataSource: DataSource;
  kafka: KafkaClient;
  producer: RecordProducer;
  topic: string;
  handler: ChunkHandler;
  metricsRegistry: Registry;
}): InboxConsumerDependencies {
  const { handler, topic, ...rest } = parts;
  return {
    ...rest,
    registry: counterRegistry(topic),
    handlerFor: (type) => (type === COUNTER_INCREMENTED ? handler : undefined),
    logger: silentLogger,
  };
}

/** A metric's value summed over its labels; 0 when it has none yet. */
export async function metricTotal(metrics: Registry, name: string): Promise<number> {
  const metric = await metrics.getSingleMetric(name)?.get();
  return metric?.values.reduce((total, value) => total + value.value, 0) ?? 0;
}
