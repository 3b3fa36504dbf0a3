/**
 * A consumer in its own process, so tests can kill it with SIGKILL mid-batch or stop it with
 * SIGTERM (a graceful stop: the chunk in flight commits, the member leaves its group). Configured
 * through the environment by the messaging integration specs. It writes `starting` before it joins
 * its group and `assigned <n>` whenever its keel_consumer_assigned_partitions gauge changes.
 */
import { Registry } from 'prom-client';
import { createKafkaClient } from '../src/kafka/kafka-client-factory';
import { DEFAULT_KAFKA_TIMEOUTS, parseKafkaClientKind } from '../src/kafka/kafka-settings';
import { silentLogger } from '../src/messaging-logger';
import { InboxConsumer } from '../src/inbox/inbox-consumer';
import { DEFAULT_INBOX_SETTINGS } from '../src/inbox/inbox-settings';
import {
  counterConsumerDependencies,
  metricTotal,
  openCounterDatabase,
  recordingHandler,
} from './counter-fixture';

const ASSIGNMENT_POLL_INTERVAL_MS = 20;

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

function numberOr(name: string, fallback: number): number {
  const value = process.env[name];
  return value === undefined ? fallback : Number(value);
}

/** Writes the gauge's total whenever it changes, so the parent sees assignments as they happen. */
function reportAssignedPartitions(metrics: Registry): void {
  let reported: number | undefined;
  setInterval(() => {
    void metricTotal(metrics, 'keel_consumer_assigned_partitions').then((assigned) => {
      if (assigned === reported) return;
      reported = assigned;
      process.stdout.write(`assigned ${assigned}\n`);
    });
  }, ASSIGNMENT_POLL_INTERVAL_MS);
}

async function main(): Promise<void> {
  const topic = required('TEST_TOPIC');
  const dataSource = await openCounterDatabase(required('TEST_DATABASE_URL'));
  const kafka = createKafkaClient(
    {
      brokers: required('TEST_BROKERS').split(','),
      clientId: 'keel-test-child',
      ...DEFAULT_KAFKA_TIMEOUTS,
      client: parseKafkaClientKind(required('TEST_KAFKA_CLIENT')),
    },
    silentLogger,
  );
  const producer = kafka.producer();
  await producer.connect();
  const handler = recordingHandler(Number(required('TEST_HANDLER_DELAY_MS')));
  const metrics = new Registry();
  const sessionTimeoutMs = numberOr('TEST_SESSION_TIMEOUT_MS', 6_000);
  const consumer = new InboxConsumer(
    counterConsumerDependencies({ dataSource, kafka, producer, topic, handler, metricsRegistry: metrics }),
    {
      ...DEFAULT_INBOX_SETTINGS,
      consumerName: required('TEST_GROUP'),
      groupInstanceId: process.env['TEST_GROUP_INSTANCE_ID'],
      topics: [topic],
      chunkSize: 5,
      sessionTimeoutMs,
      rebalanceTimeoutMs: sessionTimeoutMs,
      heartbeatIntervalMs: numberOr('TEST_HEARTBEAT_INTERVAL_MS', 500),
    },
  );
  process.once('SIGTERM', () => {
    void consumer.stop().then(() => process.exit(0));
  });
  reportAssignedPartitions(metrics);
  process.stdout.write('starting\n');
  await consumer.start();
  process.stdout.write('consumer started\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
