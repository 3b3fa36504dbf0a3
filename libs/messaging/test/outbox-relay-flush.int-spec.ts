import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { EventTypeRegistry } from '@keel/contracts';
import {
  createTestDatabase,
  createTestTopics,
  TopicReader,
  type TestDatabase,
  type TestTopics,
} from '@keel/testing';
import type { RecordProducer } from '../src/kafka/kafka-client';
import { headerAsString } from '../src/kafka/kafka-records';
import { silentLogger } from '../src/messaging-logger';
import { DEFAULT_OUTBOX_RELAY_SETTINGS, OutboxRelay, type AfterSendHook } from '../src/outbox/outbox-relay';
import { counterRegistry } from './counter-event';
import { incrementCounter, openCounterDatabase } from './counter-fixture';

jest.setTimeout(60_000);

let database: TestDatabase;
let topics: TestTopics;
let dataSource: DataSource;
let registry: EventTypeRegistry;
let producer: RecordProducer;

/** A relay that polls rarely and is not woken by commits: only a flush makes it publish soon. */
function newRelay(batchSize: number, afterSend?: AfterSendHook): OutboxRelay {
  return new OutboxRelay(
    dataSource,
    producer,
    silentLogger,
    new Registry(),
    { ...DEFAULT_OUTBOX_RELAY_SETTINGS, batchSize, pollIntervalMs: 60_000, standbyRetryMs: 60_000 },
    afterSend,
  );
}

async function commitEvents(prefix: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    ids.push(
      await dataSource.transaction((manager) =>
        incrementCounter(manager, registry, { counterId: `${prefix}-${index % 3}`, amount: 1 }),
      ),
    );
  }
  return ids;
}

/** Outbox rows not yet sent (rows sent and awaiting their delete are left out by id). */
async function unpublishedRows(): Promise<number> {
  const [row] = (await dataSource.query(
    "SELECT count(*)::int AS n FROM outbox WHERE aggregateid NOT LIKE 'sentinel-%'",
  )) as { n: number }[];
  return row?.n ?? 0;
}

async function outboxRows(): Promise<number> {
  const [row] = (await dataSource.query('SELECT count(*)::int AS n FROM outbox')) as { n: number }[];
  return row?.n ?? 0;
}

beforeAll(async () => {
  database = await createTestDatabase('relay-flush');
  topics = await createTestTopics(['counter']);
  registry = counterRegistry(topics.names['counter'] ?? '');
  dataSource = await openCounterDatabase(database.url);
  producer = topics.kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer.disconnect();
  await dataSource.destroy();
  await database.drop();
  await topics.delete();
});

describe('OutboxRelay.flush', () => {
  it('publishes every row committed before it, over several rounds, then stops and leaves the lock', async () => {
    const reader = await TopicReader.start(topics.kafka, topics.names['counter'] ?? '');
    const [sentinel] = await commitEvents('sentinel', 1);
    let firstRoundSent: () => void = () => undefined;
    const firstRound = new Promise<void>((resolve) => (firstRoundSent = resolve));
    const relay = newRelay(4, async (eventIds) => {
      if (eventIds.includes(sentinel ?? '')) firstRoundSent();
    });
    relay.start();
    try {
      // After a round that sent less than a batch the relay idles until its poll, a minute away.
      await firstRound;
      const eventIds = await commitEvents('flush', 11);
      expect(await unpublishedRows()).toBe(11);

      await relay.flush();
      expect(relay.isActive()).toBe(false);
      expect(await outboxRows()).toBe(0);
      const records = await reader.waitForCount(1 + eventIds.length);
      expect(records.map((record) => headerAsString(record.headers['ce_id'])).sort()).toEqual(
        [sentinel, ...eventIds].sort(),
      );

      // It stays stopped, and another relay takes the lock and publishes what comes after.
      const [late] = await commitEvents('late', 1);
      expect(await unpublishedRows()).toBe(1);
      const next = newRelay(4);
      next.start();
      await next.flush();
      expect(await outboxRows()).toBe(0);
      const all = await reader.waitForCount(2 + eventIds.length);
      expect(all.map((record) => headerAsString(record.headers['ce_id']))).toContain(late);
    } finally {
      await relay.stop();
      await reader.stop();
    }
  });

  it('returns at once on a standby relay, leaving the rows to the active one', async () => {
    const active = newRelay(100);
    active.start();
    const standby = newRelay(100);
    try {
      await waitUntilActive(active);
      standby.start();
      const flushedAt = Date.now();
      await standby.flush();
      expect(Date.now() - flushedAt).toBeLessThan(5_000);
      expect(standby.isActive()).toBe(false);
      expect(active.isActive()).toBe(true);
    } finally {
      await active.stop();
      await standby.stop();
    }
  });

  it('returns at once on a relay that never started', async () => {
    await newRelay(100).flush();
  });
});

async function waitUntilActive(relay: OutboxRelay): Promise<void> {
  for (let attempt = 0; attempt < 200 && !relay.isActive(); attempt += 1) {
    await sleep(25);
  }
  expect(relay.isActive()).toBe(true);
}
