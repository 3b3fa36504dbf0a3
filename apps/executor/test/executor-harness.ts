import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  buildEnvelope,
  PAYMENT_ORDER_EVENT_TYPES,
  TOPICS,
  type EventEnvelope,
  type PaymentOrderExecutionRequestedPayload,
} from '@keel/contracts';
import { headerAsString, type IncomingRecord } from '@keel/messaging';
import { PspSimProcess } from '@keel/local-system';
import {
  operatorAuthorization,
  startServiceUnderTest,
  waitFor,
  type ServiceUnderTest,
  type TestDatabase,
  type TestNamespace,
  type TopicReader,
} from '@keel/testing';
import { ExecutorEnvironment } from '../src/executor.environment';
import { EXECUTOR_EVENT_SOURCE } from '../src/execution/payment-order-outcome.event';
import { executorModule } from '../src/executor.module';
import type { PaymentOrderView } from '../src/payment-order/payment-order.dto';

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

/** An event as the executor published it: its `ce_type` and its data. */
export interface PublishedEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
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
  /** The events on the payment-order topic about an order (its `ce_subject`), in the order read. */
  eventsAbout(paymentOrderId: string): PublishedEvent[];
  /**
   * Waits until an event of `type` is written about the order, then answers the types of every
   * event the executor wrote about it, in the order written: those its relay already published
   * (and deleted from its outbox), then the rows its outbox still holds. The events of one order
   * keep their order from outbox to topic, so anything written before the awaited one shows.
   */
  eventsWrittenThrough(paymentOrderId: string, type: string): Promise<string[]>;
  /** The same, at once, without waiting for anything: for checking that nothing was written. */
  eventsWritten(paymentOrderId: string): Promise<string[]>;
  /** Sends the envelopes to the namespaced catalog topic in one batch. */
  publish(topic: string, envelopes: readonly EventEnvelope[]): Promise<void>;
  /** Starts another reader, stopped with the harness. */
  startReader(topic: string): Promise<TopicReader>;
  /** Publishes an execution_requested event for each request, in one batch; returns their event ids. */
  requestExecution(requests: readonly PaymentOrderExecutionRequestedPayload[]): Promise<string[]>;
  /** GET /v1/payment-orders/:id, which must answer 200. */
  paymentOrder(paymentOrderId: string): Promise<PaymentOrderView>;
  /** The order once GET /v1/payment-orders/:id shows it in `status`; waits 20 s unless told otherwise. */
  paymentOrderIn(paymentOrderId: string, status: string, timeoutMs?: number): Promise<PaymentOrderView>;
  /**
   * Stops the executor and starts a new one on the same database, topics and psp-sim, with
   * `environment` over the variables of the first start (undefined unsets one).
   */
  restart(environment?: Record<string, string | undefined>): Promise<void>;
  stop(): Promise<void>;
}

export async function startExecutorHarness(options: ExecutorHarnessOptions): Promise<ExecutorHarness> {
  const simulator = await PspSimProcess.start(options.simulatorEnvironment);
  let service: ServiceUnderTest<ExecutorEnvironment> | undefined;
  const stop = async (): Promise<void> => {
    await service?.stop();
    await simulator.stop();
  };
  try {
    service = await startServiceUnderTest(executorModule, ExecutorEnvironment, {
      database: options.databaseName,
      partitions: options.partitions,
      variables: { ...executorVariables(simulator), ...options.environment },
    });
    if (options.routes !== undefined) await replaceRoutes(service.baseUrl, options.routes);
    const started = service;
    const startReader = (topic: string) => started.startReader(started.namespace.topic(topic));
    const paymentOrder = (paymentOrderId: string) => fetchPaymentOrder(started.baseUrl, paymentOrderId);
    const reader = await startReader(TOPICS.paymentOrder);
    const eventsWritten = (paymentOrderId: string) =>
      executorEventsWritten(started.app.get(DataSource), reader, paymentOrderId);
    return {
      get app(): INestApplication {
        return started.app;
      },
      get baseUrl(): string {
        return started.baseUrl;
      },
      simulator,
      namespace: started.namespace,
      database: started.database,
      reader,
      eventsAbout: (paymentOrderId) =>
        publishedEvents(
          reader.records.filter((record) => headerAsString(record.headers['ce_subject']) === paymentOrderId),
        ),
      eventsWritten,
      eventsWrittenThrough: async (paymentOrderId, type) => {
        await waitFor(async () => (await eventsWritten(paymentOrderId)).includes(type), {
          description: `${type} written about ${paymentOrderId}`,
        });
        return eventsWritten(paymentOrderId);
      },
      publish: (topic, envelopes) => started.publish(topic, envelopes),
      startReader,
      requestExecution: (requests) => publishExecutionRequests(started, requests),
      paymentOrder,
      paymentOrderIn: (paymentOrderId, status, timeoutMs) =>
        waitFor(
          async () => {
            const order = await paymentOrder(paymentOrderId);
            return order.status === status && order;
          },
          { timeoutMs, description: `payment order ${paymentOrderId} ${status}` },
        ),
      restart: (environment) => started.restart(environment),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Records read from a topic as the events they carry. */
export function publishedEvents(records: readonly IncomingRecord[]): PublishedEvent[] {
  return records.map((record) => ({
    type: headerAsString(record.headers['ce_type']) ?? '',
    data: JSON.parse(record.value?.toString('utf8') ?? '{}') as Record<string, unknown>,
  }));
}

async function executorEventsWritten(
  dataSource: DataSource,
  reader: TopicReader,
  paymentOrderId: string,
): Promise<string[]> {
  // The outbox first: a row the relay publishes and deletes meanwhile shows on the topic instead.
  const waiting = (await dataSource.query(
    'SELECT id, type FROM outbox WHERE aggregateid = $1 ORDER BY position',
    [paymentOrderId],
  )) as { id: string; type: string }[];
  const published = reader.records
    .filter(
      (record) =>
        headerAsString(record.headers['ce_subject']) === paymentOrderId &&
        headerAsString(record.headers['ce_source']) === EXECUTOR_EVENT_SOURCE,
    )
    .map((record) => ({
      id: headerAsString(record.headers['ce_id']),
      type: headerAsString(record.headers['ce_type']) ?? '',
    }));
  const publishedIds = new Set(published.map((event) => event.id));
  return [...published, ...waiting.filter((row) => !publishedIds.has(row.id))].map((event) => event.type);
}

/** Quick timings and the simulator's PSPs, so that retries and inquiries happen within a test. */
function executorVariables(simulator: PspSimProcess): Record<string, string> {
  return {
    LOG_LEVEL: 'error',
    ...simulator.pspUrls(),
    PSP_TIMEOUT_MS: '1000',
    EXECUTOR_LEASE_MS: '10000',
    EXECUTOR_WORKER_POLL_INTERVAL_MS: '50',
    EXECUTOR_RESOLVER_POLL_INTERVAL_MS: '50',
    EXECUTOR_RETRY_INITIAL_DELAY_MS: '100',
    EXECUTOR_RETRY_MAX_DELAY_MS: '300',
    EXECUTOR_INQUIRY_INITIAL_DELAY_MS: '100',
    EXECUTOR_INQUIRY_MAX_DELAY_MS: '300',
  };
}

async function replaceRoutes(baseUrl: string, routes: readonly RouteInput[]): Promise<void> {
  const response = await fetch(`${baseUrl}/v1/routes`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: operatorAuthorization('operator') },
    body: JSON.stringify({ routes }),
  });
  expect(response.status).toBe(200);
}

/**
 * An execution request for 15 000 KRW (a platform fee of 375) from merchant-1's seller-1, with fresh
 * ids; by a shinhan card that the simulator approves unless told otherwise.
 */
export function executionRequestPayload(
  instrumentToken = 'tok_approve',
  paymentMethod: PaymentOrderExecutionRequestedPayload['paymentMethod'] = {
    type: 'card',
    provider: 'shinhan',
  },
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

async function publishExecutionRequests(
  service: ServiceUnderTest<ExecutorEnvironment>,
  requests: readonly PaymentOrderExecutionRequestedPayload[],
): Promise<string[]> {
  const envelopes = requests.map((data) =>
    buildEnvelope({ type: PAYMENT_ORDER_EVENT_TYPES.executionRequested, source: '/keel/payment', data }),
  );
  await service.publish(TOPICS.paymentOrder, envelopes);
  return envelopes.map((envelope) => envelope.id);
}

async function fetchPaymentOrder(baseUrl: string, paymentOrderId: string): Promise<PaymentOrderView> {
  const response = await fetch(`${baseUrl}/v1/payment-orders/${paymentOrderId}`, {
    headers: { authorization: operatorAuthorization('viewer') },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as PaymentOrderView;
}

/** Charges at acme with the order id as key, as a call an executor made before it was killed. */
export async function chargeAtAcme(
  simulator: PspSimProcess,
  charge: { paymentOrderId: string; amountMinor: number; currency: string; instrumentToken: string },
): Promise<void> {
  const response = await fetch(`${simulator.url('acme')}/acme/v1/charges`, {
    method: 'POST',
    headers: {
      authorization: 'Bearer acme_test_key',
      'idempotency-key': charge.paymentOrderId,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      amount: charge.amountMinor,
      currency: charge.currency,
      source: charge.instrumentToken,
      reference: charge.paymentOrderId,
    }),
  });
  if (response.status !== 200) throw new Error(`POST /acme/v1/charges answered ${response.status}`);
}
