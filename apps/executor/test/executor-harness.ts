import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import {
  buildEnvelope,
  PAYMENT_ORDER_EVENT_TYPES,
  toKafkaRecord,
  TOPICS,
  type PaymentOrderExecutionRequestedPayload,
} from '@keel/contracts';
import type { RecordProducer } from '@keel/messaging';
import { loadEnvironment, runService } from '@keel/platform';
import {
  createTestDatabase,
  createTestNamespace,
  TopicReader,
  type TestDatabase,
  type TestNamespace,
} from '@keel/testing';
import { ExecutorEnvironment } from '../src/executor.environment';
import { executorModule } from '../src/executor.module';
import type { PaymentOrderView } from '../src/payment-order/payment-order.dto';
import { PspSimProcess } from '../src/__fixtures__/psp-sim-process';

/** One row of the routing table, as PUT /v1/routes takes it. */
export interface RouteInput {
  methodType: string;
  provider: string;
  pspId: string;
  weight: number;
  enabled: boolean;
}

export interface ExecutorHarnessOptions {
  /** The test database's name prefix. */
  databaseName: string;
  /** Executor variables over the defaults below. */
  environment?: Record<string, string>;
  /** psp-sim variables. */
  simulatorEnvironment?: Record<string, string>;
  /** Partitions per topic; 1 puts all the events of one send in order, mostly in one chunk. */
  partitions?: number;
  /** When given, the routing table is replaced by these before any test runs. */
  routes?: readonly RouteInput[];
}

/** The executor on a fresh database and topic namespace, against a psp-sim child process. */
export interface ExecutorHarness {
  /** The running executor; another one after `restart`. */
  readonly app: INestApplication;
  readonly baseUrl: string;
  simulator: PspSimProcess;
  namespace: TestNamespace;
  database: TestDatabase;
  /** Everything on the namespaced payment-order topic. */
  reader: TopicReader;
  producer: RecordProducer;
  /** Starts another reader, stopped with the harness. */
  startReader(topic: string): Promise<TopicReader>;
  /**
   * Stops the executor and starts a new one on the same database, topics and psp-sim, with
   * `environment` over the variables of the first start (undefined unsets one).
   */
  restart(environment?: Record<string, string | undefined>): Promise<void>;
  stop(): Promise<void>;
}

export async function startExecutorHarness(options: ExecutorHarnessOptions): Promise<ExecutorHarness> {
  const readers: TopicReader[] = [];
  let database: TestDatabase | undefined;
  let namespace: TestNamespace | undefined;
  let simulator: PspSimProcess | undefined;
  let app: INestApplication | undefined;
  let producer: RecordProducer | undefined;
  const stop = async (): Promise<void> => {
    for (const reader of readers) await reader.stop();
    await producer?.disconnect();
    await app?.close();
    await simulator?.stop();
    await database?.drop();
    await namespace?.delete();
  };
  try {
    [database, namespace] = await Promise.all([
      createTestDatabase(options.databaseName),
      createTestNamespace(options.partitions),
    ]);
    const started = { database, namespace };
    simulator = await PspSimProcess.start(options.simulatorEnvironment);
    const { ports } = simulator;
    const variables = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      KAFKA_BROKERS: namespace.brokers.join(','),
      KAFKA_TOPIC_NAMESPACE: namespace.namespace,
      LOG_LEVEL: 'error',
      PSP_ACME_URL: `http://127.0.0.1:${ports.acme}`,
      PSP_NOVA_URL: `http://127.0.0.1:${ports.nova}`,
      PSP_SWIFTPAY_URL: `http://127.0.0.1:${ports.swiftpay}`,
      PSP_TIMEOUT_MS: '1000',
      EXECUTOR_LEASE_MS: '10000',
      EXECUTOR_WORKER_POLL_INTERVAL_MS: '50',
      EXECUTOR_RESOLVER_POLL_INTERVAL_MS: '50',
      EXECUTOR_RETRY_INITIAL_DELAY_MS: '100',
      EXECUTOR_RETRY_MAX_DELAY_MS: '300',
      EXECUTOR_INQUIRY_INITIAL_DELAY_MS: '100',
      EXECUTOR_INQUIRY_MAX_DELAY_MS: '300',
      ...options.environment,
    };
    const start = async (overrides: Record<string, string | undefined>): Promise<INestApplication> => {
      const environment = loadEnvironment(ExecutorEnvironment, { ...variables, ...overrides });
      return runService(executorModule(environment), environment);
    };
    app = await start({});
    let baseUrl = await app.getUrl();
    if (options.routes !== undefined) {
      const routes = await fetch(`${baseUrl}/v1/routes`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ routes: options.routes }),
      });
      expect(routes.status).toBe(200);
    }
    const startReader = async (topic: string): Promise<TopicReader> => {
      const reader = await TopicReader.start(started.namespace.kafka, started.namespace.topic(topic));
      readers.push(reader);
      return reader;
    };
    const reader = await startReader(TOPICS.paymentOrder);
    producer = namespace.kafka.producer();
    await producer.connect();
    const restart = async (overrides: Record<string, string | undefined> = {}): Promise<void> => {
      await app?.close();
      // Not closed again by `stop` should the new start fail.
      app = undefined;
      app = await start(overrides);
      baseUrl = await app.getUrl();
    };
    return {
      get app(): INestApplication {
        if (app === undefined) throw new Error('the executor is restarting');
        return app;
      },
      get baseUrl(): string {
        return baseUrl;
      },
      simulator,
      namespace,
      database,
      reader,
      producer,
      startReader,
      restart,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** An execution request for 15 000 KRW (a platform fee of 375) from merchant-1's seller-1, with fresh ids. */
export function executionRequestPayload(
  instrumentToken: string,
  paymentMethod: PaymentOrderExecutionRequestedPayload['paymentMethod'],
): PaymentOrderExecutionRequestedPayload {
  return {
    paymentOrderId: `po_${randomUUID()}`,
    paymentId: `pay_${randomUUID()}`,
    merchantId: 'merchant-1',
    sellerId: 'seller-1',
    amount: { amountMinor: '15000', currency: 'KRW' },
    paymentMethod,
    instrumentToken,
    platformFee: { amountMinor: '375', currency: 'KRW' },
    requestedAt: new Date().toISOString(),
  };
}

/** Publishes execution_requested events for the requests, in one batch; returns their event ids. */
export async function publishExecutionRequests(
  harness: ExecutorHarness,
  requests: readonly PaymentOrderExecutionRequestedPayload[],
): Promise<string[]> {
  const envelopes = requests.map((data) =>
    buildEnvelope({ type: PAYMENT_ORDER_EVENT_TYPES.executionRequested, source: '/keel/payment', data }),
  );
  await harness.producer.send(
    envelopes.map((envelope) => ({
      topic: harness.namespace.topic(TOPICS.paymentOrder),
      ...toKafkaRecord(envelope),
    })),
  );
  return envelopes.map((envelope) => envelope.id);
}

/** GET /v1/payment-orders/:id, which must answer 200. */
export async function fetchPaymentOrder(baseUrl: string, paymentOrderId: string): Promise<PaymentOrderView> {
  const response = await fetch(`${baseUrl}/v1/payment-orders/${paymentOrderId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as PaymentOrderView;
}
