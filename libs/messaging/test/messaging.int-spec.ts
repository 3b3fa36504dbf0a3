import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { buildEnvelope, toKafkaRecord, dlqTopicOf, type EventTypeRegistry } from '@keel/contracts';
import {
  createTestDatabase,
  createTestTopics,
  TEST_CONSUMER_SETTINGS,
  TopicReader,
  waitFor,
  type TestDatabase,
  type TestTopics,
} from '@keel/testing';
import { headerAsString, type IncomingRecord, type OutgoingRecord } from '../src/kafka/kafka-records';
import type { KafkaClient, RecordProducer } from '../src/kafka/kafka-client';
import { createKafkaClient } from '../src/kafka/kafka-client-factory';
import {
  DEFAULT_KAFKA_TIMEOUTS,
  KAFKA_CLIENT_KINDS,
  type KafkaClientKind,
} from '../src/kafka/kafka-settings';
import { silentLogger } from '../src/messaging-logger';
import { DEFAULT_OUTBOX_RELAY_SETTINGS, OutboxRelay, type AfterSendHook } from '../src/outbox/outbox-relay';
import { InboxConsumer, PermanentEventError, type ChunkHandler } from '../src/inbox/inbox-consumer';
import { DEFAULT_INBOX_SETTINGS, type InboxSettings } from '../src/inbox/inbox-settings';
import { DEAD_LETTER_HEADERS } from '../src/inbox/dead-letter';
import { COUNTER_INCREMENTED, counterRegistry, type CounterIncremented } from './counter-event';
import {
  appliedCounts,
  incrementCounter,
  metricTotal,
  openCounterDatabase,
  recordingHandler,
} from './counter-fixture';
import { ConsumerProcess } from './consumer-process';

jest.setTimeout(90_000);

let database: TestDatabase;
let topics: TestTopics;
let topic: string;
let dataSource: DataSource;
let registry: EventTypeRegistry;
let producer: RecordProducer;
let kafka: KafkaClient;
let clientKind: KafkaClientKind;
const stoppers: (() => Promise<void>)[] = [];

function startRelay(afterSend?: AfterSendHook, errorBackoffInitialMs = 100): OutboxRelay {
  const relay = new OutboxRelay(
    dataSource,
    producer,
    silentLogger,
    new Registry(),
    {
      ...DEFAULT_OUTBOX_RELAY_SETTINGS,
      pollIntervalMs: 200,
      standbyRetryMs: 200,
      errorBackoffInitialMs,
      errorBackoffMaxMs: errorBackoffInitialMs,
    },
    afterSend,
  );
  relay.start();
  stoppers.push(() => relay.stop());
  return relay;
}

async function startConsumer(
  group: string,
  handler: ChunkHandler,
  metricsRegistry = new Registry(),
  chunkSize = 10,
  fetch: Partial<Pick<InboxSettings, 'fetchMinBytes' | 'fetchMaxWaitMs'>> = {},
): Promise<InboxConsumer> {
  const consumer = new InboxConsumer(
    {
      dataSource,
      kafka,
      producer,
      registry,
      handlerFor: (type) => (type === COUNTER_INCREMENTED ? handler : undefined),
      logger: silentLogger,
      metricsRegistry,
    },
    {
      ...DEFAULT_INBOX_SETTINGS,
      ...TEST_CONSUMER_SETTINGS,
      consumerName: group,
      topics: [topic],
      chunkSize,
      maxAttempts: 3,
      retryInitialDelayMs: 10,
      retryMaxDelayMs: 50,
      ...fetch,
    },
  );
  await consumer.start();
  stoppers.push(() => consumer.stop());
  return consumer;
}

async function startReader(name: string = topic): Promise<TopicReader> {
  const reader = await TopicReader.start(kafka, name);
  stoppers.push(() => reader.stop());
  return reader;
}

function eventIdOf(record: IncomingRecord): string | undefined {
  return headerAsString(record.headers['ce_id']);
}

function recordFor(data: CounterIncremented): { id: string; record: OutgoingRecord } {
  const envelope = buildEnvelope({ type: COUNTER_INCREMENTED, source: '/keel/test', data }, registry);
  return { id: envelope.id, record: { topic, ...toKafkaRecord(envelope) } };
}

function commit(data: CounterIncremented): Promise<string> {
  return dataSource.transaction((manager) => incrementCounter(manager, registry, data));
}

describe.each(KAFKA_CLIENT_KINDS)('messaging over %s', (kind) => {
  beforeAll(async () => {
    clientKind = kind;
    database = await createTestDatabase('messaging');
    topics = await createTestTopics(['counter']);
    topic = topics.names['counter'] ?? '';
    dataSource = await openCounterDatabase(database.url, 10);
    registry = counterRegistry(topic);
    kafka = createKafkaClient(
      { brokers: topics.brokers, clientId: `keel-test-${kind}`, ...DEFAULT_KAFKA_TIMEOUTS, client: kind },
      silentLogger,
    );
    producer = kafka.producer();
    await producer.connect();
  });

  afterEach(async () => {
    while (stoppers.length > 0) await stoppers.pop()?.();
  });

  afterAll(async () => {
    await producer.disconnect();
    await dataSource.destroy();
    await database.drop();
    await topics.delete();
  });

  describe('outbox relay', () => {
    it('(a) delivers an event committed together with its state change', async () => {
      const eventId = await commit({ counterId: 'a-1', amount: 5 });
      const reader = await startReader();
      startRelay();

      const record = await waitFor(
        () => reader.records.find((candidate) => eventIdOf(candidate) === eventId),
        {
          description: 'the committed event on Kafka',
        },
      );
      expect(record.key?.toString()).toBe('a-1');
      expect(headerAsString(record.headers['ce_type'])).toBe(COUNTER_INCREMENTED);
      expect(headerAsString(record.headers['ce_specversion'])).toBe('1.0');
      expect(JSON.parse(record.value?.toString() ?? '')).toEqual({ counterId: 'a-1', amount: 5 });

      await startConsumer('group-a', recordingHandler());
      await waitFor(async () => (await appliedCounts(dataSource)).get(eventId) === 1, {
        description: 'the event applied',
      });
      // Acknowledged by the broker, so the relay's next round (here its poll) removes it.
      await waitFor(
        async () =>
          ((await dataSource.query('SELECT id FROM outbox WHERE id = $1', [eventId])) as unknown[]).length ===
          0,
        { description: 'the acknowledged row deleted' },
      );
    });

    it('(b) publishes nothing for a rolled-back transaction', async () => {
      await expect(
        dataSource.transaction(async (manager) => {
          await incrementCounter(manager, registry, { counterId: 'b-rolled-back', amount: 1 });
          throw new Error('the state change failed');
        }),
      ).rejects.toThrow('the state change failed');
      const rows = (await dataSource.query(
        "SELECT count(*)::int AS n FROM outbox WHERE aggregateid = 'b-rolled-back'",
      )) as {
        n: number;
      }[];
      expect(rows[0]?.n).toBe(0);

      const markerId = await commit({ counterId: 'b-marker', amount: 1 });
      const reader = await startReader();
      startRelay();
      await waitFor(() => reader.records.some((record) => eventIdOf(record) === markerId), {
        description: 'the marker event',
      });
      expect(reader.records.filter((record) => record.key?.toString() === 'b-rolled-back')).toHaveLength(0);
    });

    it('(c) a relay killed between send and delete republishes, and the inbox applies the event once', async () => {
      const eventId = await commit({ counterId: 'c-1', amount: 3 });
      const reader = await startReader();
      let crashes = 0;
      const crashing = startRelay(async () => {
        crashes += 1;
        throw new Error('relay killed after send, before delete');
      }, 60_000);
      await waitFor(() => crashes > 0, { description: 'the relay to crash after sending' });
      await crashing.stop();
      const kept = (await dataSource.query('SELECT id FROM outbox WHERE id = $1', [eventId])) as unknown[];
      expect(kept).toHaveLength(1);

      startRelay();
      const copies = await waitFor(
        () => {
          const found = reader.records.filter((record) => eventIdOf(record) === eventId);
          return found.length >= 2 && found;
        },
        { description: 'the event twice on Kafka' },
      );
      expect(copies).toHaveLength(2);

      const metrics = new Registry();
      await startConsumer('group-c', recordingHandler(), metrics);
      await waitFor(async () => (await metricTotal(metrics, 'keel_inbox_duplicates_total')) >= 1, {
        description: 'the duplicate to be seen by the inbox',
      });
      expect((await appliedCounts(dataSource)).get(eventId)).toBe(1);
      const [counter] = (await dataSource.query(
        "SELECT total::int AS total FROM counters WHERE id = 'c-1'",
      )) as {
        total: number;
      }[];
      expect(counter?.total).toBe(3);
    });

    it('(d) publishes both of two transactions that commit out of position order', async () => {
      const slow = dataSource.createQueryRunner();
      await slow.connect();
      await slow.startTransaction();
      const slowId = await incrementCounter(slow.manager, registry, { counterId: 'd-slow', amount: 1 });
      const fastId = await commit({ counterId: 'd-fast', amount: 1 });
      // Read before the relay deletes them; the open transaction sees its own row and the committed one.
      const positions = (await slow.manager.query(
        'SELECT id, position::int AS position FROM outbox WHERE id = ANY($1::uuid[])',
        [[slowId, fastId]],
      )) as { id: string; position: number }[];

      const reader = await startReader();
      startRelay();
      await waitFor(() => reader.records.some((record) => eventIdOf(record) === fastId), {
        description: 'the fast event',
      });
      expect(reader.records.some((record) => eventIdOf(record) === slowId)).toBe(false);

      await slow.commitTransaction();
      await slow.release();
      await waitFor(() => reader.records.some((record) => eventIdOf(record) === slowId), {
        description: 'the event of the transaction that committed late',
      });
      const positionOf = (id: string) => positions.find((row) => row.id === id)?.position ?? Number.NaN;
      expect(positionOf(slowId)).toBeLessThan(positionOf(fastId));
    });
  });

  describe('inbox consumer', () => {
    it('(e) dead-letters poison records with their reason and keeps the partition flowing', async () => {
      const before = recordFor({ counterId: 'e-key', amount: 1 });
      const after = recordFor({ counterId: 'e-key', amount: 2 });
      const failing = recordFor({ counterId: 'e-key', amount: 13 });
      const valid = recordFor({ counterId: 'e-key', amount: 4 });
      const notJson: OutgoingRecord = {
        ...valid.record,
        headers: { ...valid.record.headers, ce_id: randomUUID() },
        value: Buffer.from('{not json'),
      };
      const noType: OutgoingRecord = {
        ...valid.record,
        headers: Object.fromEntries(
          Object.entries(valid.record.headers).filter(([name]) => name !== 'ce_type'),
        ),
      };
      const badPayload: OutgoingRecord = {
        ...valid.record,
        headers: { ...valid.record.headers, ce_id: randomUUID() },
        value: Buffer.from(JSON.stringify({ counterId: 'e-key', amount: -1 })),
      };
      await producer.send([before.record, notJson, noType, badPayload, failing.record, after.record]);

      const dlq = await startReader(dlqTopicOf(topic));
      const recording = recordingHandler();
      const handler: ChunkHandler = async (events, transaction) => {
        if (events.some((event) => (event.data as unknown as CounterIncremented).amount === 13))
          throw new Error('unlucky amount');
        await recording(events, transaction);
      };
      await startConsumer('group-e', handler);

      await waitFor(async () => (await appliedCounts(dataSource)).get(after.id) === 1, {
        description: 'the valid record after the poison ones',
      });
      expect((await appliedCounts(dataSource)).get(before.id)).toBe(1);
      expect((await appliedCounts(dataSource)).has(failing.id)).toBe(false);
      const deadLetters = await dlq.waitForCount(4);
      const reasons = deadLetters.map((record) => headerAsString(record.headers[DEAD_LETTER_HEADERS.reason]));
      expect(reasons).toEqual(['invalid_json', 'missing_header', 'invalid_payload', 'handler_failed']);
      for (const record of deadLetters) {
        expect(headerAsString(record.headers[DEAD_LETTER_HEADERS.originalTopic])).toBe(topic);
        expect(headerAsString(record.headers[DEAD_LETTER_HEADERS.consumer])).toBe('group-e');
        expect(headerAsString(record.headers[DEAD_LETTER_HEADERS.detail])?.length).toBeGreaterThan(0);
      }
      expect(headerAsString(deadLetters[3]?.headers[DEAD_LETTER_HEADERS.detail])).toContain('unlucky amount');
    });

    it('(f) applies every event exactly once across a consumer crash mid-batch and a restart', async () => {
      const events = Array.from({ length: 120 }, (_, index) =>
        recordFor({ counterId: `f-${index % 7}`, amount: 1 }),
      );
      await producer.send(events.map((event) => event.record));
      const group = 'group-f';

      const crashing = spawnConsumerProcess(group);
      await waitFor(
        async () => {
          const applied = await appliedCounts(dataSource);
          return events.filter((event) => applied.has(event.id)).length >= 30;
        },
        { description: 'the first consumer to apply part of the batch', timeoutMs: 60_000 },
      );
      await crashing.kill();
      const partial = await appliedCounts(dataSource);
      const appliedByCrashed = events.filter((event) => partial.has(event.id)).length;
      expect(appliedByCrashed).toBeLessThan(events.length);

      await startConsumer(group, recordingHandler());
      const applied = await waitFor(
        async () => {
          const counts = await appliedCounts(dataSource);
          return events.every((event) => counts.has(event.id)) && counts;
        },
        { description: 'every event applied after the restart', timeoutMs: 60_000 },
      );
      expect(events.map((event) => applied.get(event.id))).toEqual(events.map(() => 1));
    });

    it('(g) applies every event exactly once while a second member joins and the first leaves', async () => {
      const events = Array.from({ length: 150 }, (_, index) =>
        recordFor({ counterId: `g-${index % 11}`, amount: 1 }),
      );
      await producer.send(events.map((event) => event.record));
      const group = 'group-g';
      const appliedSoFar = async () => {
        const applied = await appliedCounts(dataSource);
        return events.filter((event) => applied.has(event.id)).length;
      };

      const first = await startConsumer(group, recordingHandler(20));
      await waitFor(async () => (await appliedSoFar()) >= 30, {
        description: 'the first member to apply part of the events',
        timeoutMs: 60_000,
      });
      await startConsumer(group, recordingHandler(20));
      await waitFor(async () => (await appliedSoFar()) >= 90, {
        description: 'both members to apply more events after the rebalance',
        timeoutMs: 60_000,
      });
      await first.stop();

      const applied = await waitFor(
        async () => {
          const counts = await appliedCounts(dataSource);
          return events.every((event) => counts.has(event.id)) && counts;
        },
        { description: 'every event applied after the first member left', timeoutMs: 60_000 },
      );
      expect(events.map((event) => applied.get(event.id))).toEqual(events.map(() => 1));
    });

    it('(h) runs after-commit callbacks once their chunk has committed, never after a rollback', async () => {
      const applied = recordFor({ counterId: 'h-key', amount: 1 });
      const failing = recordFor({ counterId: 'h-key', amount: 13 });
      await producer.send([applied.record, failing.record]);
      const dlq = await startReader(dlqTopicOf(topic));
      const recording = recordingHandler();
      const called: string[] = [];
      const countsSeenByCallbacks = new Map<string, Promise<number | undefined>>();
      const handler: ChunkHandler = async (events, transaction) => {
        for (const event of events) {
          transaction.afterCommit(() => {
            called.push(event.id);
            countsSeenByCallbacks.set(
              event.id,
              appliedCounts(dataSource).then((counts) => counts.get(event.id)),
            );
          });
        }
        if (events.some((event) => (event.data as unknown as CounterIncremented).amount === 13))
          throw new Error('unlucky amount');
        await recording(events, transaction);
      };
      await startConsumer('group-h', handler);

      // The topic also holds the earlier tests' events, which this new group applies too.
      await waitFor(() => dlq.records.some((record) => eventIdOf(record) === failing.id), {
        description: 'the failing event dead-lettered',
      });
      await waitFor(() => called.includes(applied.id), { description: 'the applied event to call back' });
      expect(called.filter((id) => id === applied.id || id === failing.id)).toEqual([applied.id]);
      // A callback sees its effect from any other connection: the transaction had committed.
      expect(await countsSeenByCallbacks.get(applied.id)).toBe(1);
    });

    it('(i) applies a duplicate inside one chunk and across chunks once, in one transaction per chunk', async () => {
      const first = recordFor({ counterId: 'i-key', amount: 1 });
      const second = recordFor({ counterId: 'i-key', amount: 2 });
      // One chunk holds the first event twice; the next chunk repeats both events.
      await producer.send([first.record, first.record, second.record]);
      await producer.send([second.record, first.record]);
      const runs: string[][] = [];
      const recording = recordingHandler();
      const metrics = new Registry();
      await startConsumer(
        'group-i',
        async (events, transaction) => {
          runs.push(events.map((event) => event.id));
          await recording(events, transaction);
        },
        metrics,
        100,
      );
      await waitFor(async () => (await metricTotal(metrics, 'keel_inbox_duplicates_total')) >= 3, {
        description: 'three duplicates seen by the inbox',
      });
      const counts = await appliedCounts(dataSource);
      expect(counts.get(first.id)).toBe(1);
      expect(counts.get(second.id)).toBe(1);
      // Handlers see each event once, in offset order, many per call.
      const seen = runs.flat().filter((id) => id === first.id || id === second.id);
      expect(seen).toEqual([first.id, second.id]);
      expect(Math.max(...runs.map((run) => run.length))).toBeGreaterThan(1);
    });

    it('(j) dead-letters the one event a handler rejects and applies the rest of its chunk at once', async () => {
      const events = [1, 2, 13, 4, 5].map((amount) => recordFor({ counterId: 'j-key', amount }));
      const poison = events[2];
      await producer.send(events.map((event) => event.record));
      const dlq = await startReader(dlqTopicOf(topic));
      const recording = recordingHandler();
      const calls: string[][] = [];
      await startConsumer(
        'group-j',
        async (run, transaction) => {
          // Calls of other partitions interleave; this test's events share one key, so one partition.
          if (run.some((event) => events.some((candidate) => candidate.id === event.id)))
            calls.push(run.map((event) => event.id));
          await recording(run, transaction);
          // Only this test's poison: the topic also holds earlier tests' events, 13s among them.
          const rejected = run.find((event) => event.id === poison?.id);
          if (rejected !== undefined)
            throw new PermanentEventError('thirteen is never applied', { eventId: rejected.id });
        },
        new Registry(),
        100,
      );
      const deadLetter = await waitFor(() => dlq.records.find((record) => eventIdOf(record) === poison?.id), {
        description: 'the rejected event dead-lettered',
      });
      expect(headerAsString(deadLetter.headers[DEAD_LETTER_HEADERS.reason])).toBe('handler_rejected');
      expect(headerAsString(deadLetter.headers[DEAD_LETTER_HEADERS.detail])).toContain('thirteen');
      const counts = await waitFor(
        async () => {
          const applied = await appliedCounts(dataSource);
          return events.filter((event) => applied.has(event.id)).length === 4 && applied;
        },
        { description: 'the four other events applied' },
      );
      expect(events.map((event) => counts.get(event.id))).toEqual([1, 1, undefined, 1, 1]);
      // The call that met the poison rolled back; the next one applied all its other events at once.
      const rejectedCall = calls.findIndex((call) => call.includes(poison?.id ?? ''));
      const retried = calls[rejectedCall + 1];
      expect(retried).toEqual(calls[rejectedCall]?.filter((id) => id !== poison?.id));
    });

    it('(k) ignores records of a type without a handler without validating them', async () => {
      const valid = recordFor({ counterId: 'k-key', amount: 1 });
      const unhandled: OutgoingRecord = {
        ...valid.record,
        headers: { ...valid.record.headers, ce_id: randomUUID(), ce_type: 'keel.test.unhandled.v1' },
        value: Buffer.from('{not json'),
      };
      const marker = recordFor({ counterId: 'k-key', amount: 2 });
      await producer.send([unhandled, marker.record]);
      const dlq = await startReader(dlqTopicOf(topic));
      const metrics = new Registry();
      await startConsumer('group-k', recordingHandler(), metrics);
      await waitFor(async () => (await appliedCounts(dataSource)).get(marker.id) === 1, {
        description: 'the marker after the unhandled record',
      });
      expect(await metricTotal(metrics, 'keel_inbox_ignored_total')).toBeGreaterThanOrEqual(1);
      const unhandledId = headerAsString(unhandled.headers['ce_id']);
      expect(dlq.records.some((record) => eventIdOf(record) === unhandledId)).toBe(false);
    });

    it('(l) with fetchMinBytes, waits at the broker up to fetchMaxWaitMs: records sent apart arrive in fewer, fuller chunks', async () => {
      const sent = new Set<string>();
      const eager: string[][] = [];
      const windowed: string[][] = [];
      const keepingSent =
        (chunks: string[][]): ChunkHandler =>
        async (events) => {
          const mine = events.map((event) => event.id).filter((id) => sent.has(id));
          if (mine.length > 0) chunks.push(mine);
        };
      await startConsumer('group-l-eager', keepingSent(eager), new Registry(), 100);
      await startConsumer('group-l-window', keepingSent(windowed), new Registry(), 100, {
        fetchMinBytes: 1_048_576,
        fetchMaxWaitMs: 2_000,
      });
      // Both members have joined and read what came before once a marker reached both.
      const marker = recordFor({ counterId: 'l-key', amount: 1 });
      sent.add(marker.id);
      await producer.send([marker.record]);
      const markerSeen = (chunks: string[][]) => chunks.flat().includes(marker.id);
      await waitFor(() => markerSeen(eager) && markerSeen(windowed), { description: 'the marker at both' });
      eager.length = 0;
      windowed.length = 0;
      const spaced = [2, 3, 4, 5, 6, 7, 8, 9].map((amount) => recordFor({ counterId: 'l-key', amount }));
      for (const record of spaced) {
        sent.add(record.id);
        await producer.send([record.record]);
        await sleep(150);
      }
      const all = (chunks: string[][]) => spaced.every((record) => chunks.flat().includes(record.id));
      await waitFor(() => all(eager) && all(windowed), { description: 'every spaced record at both' });
      // Answered at the first byte, the eager consumer takes them nearly one fetch each; the
      // windowed one takes the 1.2 s of sending in a fetch or two.
      expect(eager.length).toBeGreaterThanOrEqual(5);
      expect(windowed.length).toBeLessThanOrEqual(3);
    });
  });
});

function spawnConsumerProcess(group: string): ConsumerProcess {
  const child = ConsumerProcess.start({
    topic,
    databaseUrl: database.url,
    brokers: topics.brokers,
    group,
    client: clientKind,
    handlerDelayMs: 25,
  });
  stoppers.push(() => child.kill());
  return child;
}
