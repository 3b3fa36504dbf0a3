import { randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import {
  createTestDatabase,
  createTestTopics,
  TEST_CONSUMER_SETTINGS,
  waitFor,
  type TestDatabase,
  type TestTopics,
} from '@keel/testing';
import type { RecordProducer } from '../src/kafka/kafka-client';
import { createKafkaClient } from '../src/kafka/kafka-client-factory';
import { DEFAULT_KAFKA_TIMEOUTS, type KafkaClientKind } from '../src/kafka/kafka-settings';
import { silentLogger } from '../src/messaging-logger';
import { InboxConsumer } from '../src/inbox/inbox-consumer';
import { DEFAULT_INBOX_SETTINGS } from '../src/inbox/inbox-settings';
import {
  counterConsumerDependencies,
  metricTotal,
  openCounterDatabase,
  recordingHandler,
} from './counter-fixture';
import { ConsumerProcess } from './consumer-process';

jest.setTimeout(120_000);

const PARTITIONS = 3;
/** Long, so that waiting for a session to expire cannot pass for a fast recovery. */
const SESSION_TIMEOUT_MS = 30_000;
const HEARTBEAT_INTERVAL_MS = 1_000;
/** "Well below the session timeout". */
const HANDOVER_BOUND_MS = SESSION_TIMEOUT_MS / 3;
/** A static member back under its name: "within a few seconds". */
const STATIC_REJOIN_BOUND_MS = 5_000;

let database: TestDatabase;
let topics: TestTopics;
let topic: string;
let dataSource: DataSource;
const stoppers: (() => Promise<void>)[] = [];

interface SteadyMember {
  /** The partitions it holds now, from its keel_consumer_assigned_partitions gauge. */
  assigned(): Promise<number>;
}

/** A member that stays up in this process while the other one restarts. */
async function startSteadyMember(
  client: KafkaClientKind,
  group: string,
  groupInstanceId?: string,
): Promise<SteadyMember> {
  const kafka = createKafkaClient(
    { brokers: topics.brokers, clientId: `keel-test-${client}`, ...DEFAULT_KAFKA_TIMEOUTS, client },
    silentLogger,
  );
  const producer: RecordProducer = kafka.producer();
  await producer.connect();
  const metrics = new Registry();
  const handler = recordingHandler();
  const consumer = new InboxConsumer(
    counterConsumerDependencies({ dataSource, kafka, producer, topic, handler, metricsRegistry: metrics }),
    {
      ...DEFAULT_INBOX_SETTINGS,
      ...TEST_CONSUMER_SETTINGS,
      consumerName: group,
      groupInstanceId,
      topics: [topic],
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      rebalanceTimeoutMs: SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
    },
  );
  await consumer.start();
  stoppers.push(async () => {
    await consumer.stop();
    await producer.disconnect();
  });
  return {
    assigned: () => metricTotal(metrics, 'keel_consumer_assigned_partitions'),
  };
}

function startMemberProcess(
  client: KafkaClientKind,
  group: string,
  groupInstanceId?: string,
): ConsumerProcess {
  const child = ConsumerProcess.start({
    topic,
    databaseUrl: database.url,
    brokers: topics.brokers,
    group,
    client,
    handlerDelayMs: 0,
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
    groupInstanceId,
  });
  stoppers.push(() => child.kill());
  return child;
}

/** Milliseconds from the child starting to join its group to its first partitions. */
async function joinDurationMs(child: ConsumerProcess): Promise<{ durationMs: number; partitions: number }> {
  const startedAtMs = await child.startedJoiningAtMs();
  const { atMs, partitions } = await child.firstAssigned();
  return { durationMs: atMs - startedAtMs, partitions };
}

/** Both members hold partitions: the steady one gave some to the process. */
async function groupOfTwo(steady: SteadyMember, child: ConsumerProcess): Promise<number> {
  const { partitions } = await child.firstAssigned();
  await waitFor(async () => (await steady.assigned()) === PARTITIONS - partitions, {
    description: 'the steady member to hold the partitions the process does not',
    timeoutMs: 60_000,
  });
  return partitions;
}

/** Milliseconds from `since` until the steady member holds every partition. */
async function takeOverDurationMs(steady: SteadyMember, since: number): Promise<number> {
  await waitFor(async () => (await steady.assigned()) === PARTITIONS, {
    description: 'the steady member to take every partition',
    timeoutMs: SESSION_TIMEOUT_MS * 2,
  });
  return Date.now() - since;
}

function groupName(label: string): string {
  return `recovery-${label}-${randomBytes(4).toString('hex')}`;
}

beforeAll(async () => {
  database = await createTestDatabase('group_recovery');
  topics = await createTestTopics(['recovery'], PARTITIONS);
  topic = topics.names['recovery'] ?? '';
  dataSource = await openCounterDatabase(database.url);
});

afterEach(async () => {
  while (stoppers.length > 0) await stoppers.pop()?.();
});

afterAll(async () => {
  await dataSource.destroy();
  await database.drop();
  await topics.delete();
});

describe('fast group recovery', () => {
  it('(a) kafkajs: a member stopped gracefully hands its partitions over at once and takes them back quickly when started again', async () => {
    const group = groupName('kafkajs');
    const steady = await startSteadyMember('kafkajs', group);
    const first = startMemberProcess('kafkajs', group);
    await groupOfTwo(steady, first);

    const stoppedAtMs = Date.now();
    await first.stop();
    expect(await takeOverDurationMs(steady, stoppedAtMs)).toBeLessThan(HANDOVER_BOUND_MS);

    const restarted = startMemberProcess('kafkajs', group);
    const { durationMs } = await joinDurationMs(restarted);
    expect(durationMs).toBeLessThan(HANDOVER_BOUND_MS);
  });

  it('(b) platformatic static member: killed with SIGKILL and started again under its name, it has its partitions back within seconds', async () => {
    const group = groupName('static-kill');
    const steady = await startSteadyMember('platformatic', group, `${group}-steady`);
    const first = startMemberProcess('platformatic', group, `${group}-0`);
    const held = await groupOfTwo(steady, first);

    await first.kill();
    const restarted = startMemberProcess('platformatic', group, `${group}-0`);
    const { durationMs, partitions } = await joinDurationMs(restarted);
    expect(durationMs).toBeLessThan(STATIC_REJOIN_BOUND_MS);
    expect(partitions).toBe(held);
  });

  it('(c) platformatic static member: stopped gracefully, it leaves its group at once rather than after its session', async () => {
    const group = groupName('static-stop');
    const steady = await startSteadyMember('platformatic', group, `${group}-steady`);
    const first = startMemberProcess('platformatic', group, `${group}-0`);
    await groupOfTwo(steady, first);

    const stoppedAtMs = Date.now();
    await first.stop();
    expect(await takeOverDurationMs(steady, stoppedAtMs)).toBeLessThan(HANDOVER_BOUND_MS);
  });
});
