/**
 * A consumer in its own process, so the crash test can kill it with SIGKILL mid-batch.
 * Configured through the environment by messaging.int-spec.ts.
 */
import { Registry } from 'prom-client';
import { createKafkaClient } from '../src/kafka/kafka-client-factory';
import { DEFAULT_KAFKA_TIMEOUTS, parseKafkaClientKind } from '../src/kafka/kafka-settings';
import { silentLogger } from '../src/messaging-logger';
import { InboxConsumer } from '../src/inbox/inbox-consumer';
import { DEFAULT_INBOX_SETTINGS } from '../src/inbox/inbox-settings';
import { COUNTER_INCREMENTED, counterRegistry } from './counter-event';
import { openCounterDatabase, recordingHandler } from './counter-fixture';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
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
  const consumer = new InboxConsumer(
    {
      dataSource,
      kafka,
      producer,
      registry: counterRegistry(topic),
      handlerFor: (type) => (type === COUNTER_INCREMENTED ? handler : undefined),
      logger: silentLogger,
      metricsRegistry: new Registry(),
    },
    {
      ...DEFAULT_INBOX_SETTINGS,
      consumerName: required('TEST_GROUP'),
      topics: [topic],
      chunkSize: 5,
      sessionTimeoutMs: 6_000,
      rebalanceTimeoutMs: 6_000,
      heartbeatIntervalMs: 500,
    },
  );
  await consumer.start();
  process.stdout.write('consumer started\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
