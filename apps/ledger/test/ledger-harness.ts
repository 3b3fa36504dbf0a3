import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dlqTopicOf, TOPICS } from '@keel/contracts';
import type { RecordProducer } from '@keel/messaging';
import { startServiceUnderTest, waitFor, type TestNamespace, type TopicReader } from '@keel/testing';
import { LedgerEnvironment } from '../src/ledger.environment';
import { ledgerModule } from '../src/ledger.module';
import { recordedEventOf, type RecordedEvent } from './ledger.fixture';

/** The ledger service on a fresh database and topic namespace, with a producer and readers. */
export interface LedgerHarness {
  app: INestApplication;
  baseUrl: string;
  dataSource: DataSource;
  producer: RecordProducer;
  /** The test's topics, for another service to share them. */
  namespace: TestNamespace;
  /** The namespaced payment-order topic the ledger consumes. */
  paymentOrderTopic: string;
  /** Everything the ledger published. */
  ledgerTopic: TopicReader;
  /** Everything dead-lettered from the payment-order topic. */
  deadLetters: TopicReader;
  recordedFor(paymentOrderId: string): Promise<RecordedEvent>;
  /**
   * Every ledger event published for the payment order, read once the outbox holds none of its
   * rows any more (the relay deletes a row once Kafka acknowledged it).
   */
  allRecordedFor(paymentOrderId: string): Promise<RecordedEvent[]>;
  /** One more ledger instance on the same database and topics, in the same consumer group. */
  startAnotherInstance(): Promise<INestApplication>;
  /**
   * Closes every ledger instance (their connections end, which flushes their statistics) and
   * returns the deadlocks PostgreSQL counted in the test database.
   */
  stopInstancesAndCountDeadlocks(): Promise<number>;
  stop(): Promise<void>;
}

export interface LedgerHarnessOptions {
  /** Partitions of every test topic; one puts every event in one partition, so in one chunk. */
  partitions?: number;
}

export async function startLedger(
  variables: NodeJS.ProcessEnv = {},
  options: LedgerHarnessOptions = {},
): Promise<LedgerHarness> {
  const service = await startServiceUnderTest(ledgerModule, LedgerEnvironment, {
    database: 'ledger',
    variables,
    partitions: options.partitions,
  });
  const { app, database, namespace } = service;
  const paymentOrderTopic = namespace.topic(TOPICS.paymentOrder);
  const ledgerTopic = await service.startReader(namespace.topic(TOPICS.ledger));
  const deadLetters = await service.startReader(dlqTopicOf(paymentOrderTopic));
  const dataSource = app.get(DataSource);
  return {
    app,
    baseUrl: service.baseUrl,
    dataSource,
    producer: service.producer,
    namespace,
    paymentOrderTopic,
    ledgerTopic,
    deadLetters,
    recordedFor: (paymentOrderId) =>
      waitFor(
        () =>
          ledgerTopic.records
            .map(recordedEventOf)
            .find((event) => event.payload.paymentOrderId === paymentOrderId),
        { description: `transaction_recorded for ${paymentOrderId}` },
      ),
    allRecordedFor: async (paymentOrderId) => {
      await waitFor(
        async () => {
          const rows = (await dataSource.query(
            'SELECT count(*)::int AS n FROM outbox WHERE aggregateid = $1',
            [paymentOrderId],
          )) as { n: number }[];
          const published = ledgerTopic.records
            .map(recordedEventOf)
            .some((event) => event.payload.paymentOrderId === paymentOrderId);
          return rows[0]?.n === 0 && published;
        },
        { description: `ledger events for ${paymentOrderId} published` },
      );
      return ledgerTopic.records
        .map(recordedEventOf)
        .filter((event) => event.payload.paymentOrderId === paymentOrderId);
    },
    startAnotherInstance: () => service.startAnotherInstance(),
    stopInstancesAndCountDeadlocks: async () => {
      await service.closeInstances();
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        // A backend flushes its statistics as it exits, before it leaves pg_stat_activity.
        await waitFor(
          async () => {
            const others = await client.query<{ n: number }>(
              'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
            );
            return others.rows[0]?.n === 0;
          },
          { description: 'the ledger instances disconnected' },
        );
        const result = await client.query<{ deadlocks: string }>(
          'SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()',
        );
        return Number(result.rows[0]?.deadlocks ?? -1);
      } finally {
        await client.end();
      }
    },
    stop: () => service.stop(),
  };
}
