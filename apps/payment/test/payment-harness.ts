// The payment service on real PostgreSQL and Kafka for its integration tests, with readers on the
// topics it publishes to and a producer to play the services it listens to.
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildEnvelope, dlqTopicOf, TOPICS, type EventEnvelope } from '@keel/contracts';
import { LOCAL_API_KEY_HASH_SECRET } from '@keel/api-keys';
import { ApiKeyStore, MerchantKeys } from '@keel/local-system';
import { startServiceUnderTest, waitFor, type ServiceUnderTest, type TopicReader } from '@keel/testing';
import { PaymentEnvironment } from '../src/payment.environment';
import { paymentModule } from '../src/payment.module';
import { decode, newMerchant, paymentBody, type PaymentView, type PublishedEvent } from './payment-fixtures';

export const AUTHORIZATION_HEADER = 'Authorization';
export const BODY_LIMIT_BYTES = 16_384;
export const RETRY_AFTER_S = 2;
export const VELOCITY_MAX = 3;
/** Short, so a revocation is seen within a test. */
export const API_KEY_CACHE_TTL_MS = 1_000;

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

export interface Counts {
  payments: number;
  payment_events: number;
  payment_orders: number;
  idempotency_keys: number;
  outbox: number;
}

interface Readers {
  payment: TopicReader;
  paymentOrder: TopicReader;
  paymentOrderDlq: TopicReader;
}

export class PaymentHarness {
  /** The service's api_keys table (keys hashed with the local secret the tests run with). */
  readonly apiKeys: ApiKeyStore;
  private readonly merchantKeys: MerchantKeys;

  private constructor(
    private readonly service: ServiceUnderTest<PaymentEnvironment>,
    readonly readers: Readers,
  ) {
    this.apiKeys = new ApiKeyStore(service.database.url, LOCAL_API_KEY_HASH_SECRET);
    this.merchantKeys = new MerchantKeys(this.apiKeys);
  }

  /**
   * `overrides` replace or add environment variables, e.g. tighter limits for one spec; with one
   * partition per topic, events sent together reach the consumer together.
   */
  static async start(
    overrides: Readonly<Record<string, string>> = {},
    partitions?: number,
  ): Promise<PaymentHarness> {
    const service = await startServiceUnderTest(paymentModule, PaymentEnvironment, {
      database: 'payment',
      partitions,
      variables: {
        HTTP_BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
        API_KEY_CACHE_TTL_MS: String(API_KEY_CACHE_TTL_MS),
        IDEMPOTENCY_IN_FLIGHT_RETRY_AFTER_S: String(RETRY_AFTER_S),
        RISK_AMOUNT_LIMITS: '{"KRW":"5000000","USD":"500000"}',
        RISK_VELOCITY_MAX_PAYMENTS: String(VELOCITY_MAX),
        RISK_BLOCKED_BUYER_IDS: 'buyer-blocked',
        RISK_BLOCKED_INSTRUMENT_TOKENS: 'tok_stolen',
        RISK_BLOCKED_COUNTRIES: 'KP',
        PAYMENT_METHODS_BY_CURRENCY: '{"USD":["card"]}',
        ...overrides,
      },
    });
    const paymentOrderTopic = service.namespace.topic(TOPICS.paymentOrder);
    const [payment, paymentOrder, paymentOrderDlq] = await Promise.all([
      service.startReader(service.namespace.topic(TOPICS.payment)),
      service.startReader(paymentOrderTopic),
      service.startReader(dlqTopicOf(paymentOrderTopic)),
    ]);
    return new PaymentHarness(service, { payment, paymentOrder, paymentOrderDlq });
  }

  get app(): INestApplication {
    return this.service.app;
  }

  get baseUrl(): string {
    return this.service.baseUrl;
  }

  stop(): Promise<void> {
    return this.service.stop();
  }

  get dataSource(): DataSource {
    return this.app.get(DataSource);
  }

  async request(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<HttpResult> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...options.headers },
      ...(options.body === undefined ? {} : { body: options.body }),
    });
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Left empty: the caller asserts on the status.
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  /** `Authorization` with the merchant's test key, made on first use. */
  async authorizationOf(merchantId: string): Promise<Record<string, string>> {
    return { [AUTHORIZATION_HEADER]: await this.merchantKeys.authorizationFor(merchantId) };
  }

  async post(merchantId: string, body: unknown, key: string = randomUUID()): Promise<HttpResult> {
    return this.request('POST', '/v1/payments', {
      headers: { ...(await this.authorizationOf(merchantId)), 'Idempotency-Key': key },
      body: JSON.stringify(body),
    });
  }

  async get(merchantId: string, path: string): Promise<HttpResult> {
    return this.request('GET', path, { headers: await this.authorizationOf(merchantId) });
  }

  async accepted(merchantId: string, body: unknown = paymentBody()): Promise<PaymentView> {
    const response = await this.post(merchantId, body);
    expect(response.status).toBe(202);
    return response.json as unknown as PaymentView;
  }

  async paymentOf(merchantId: string, paymentId: string): Promise<PaymentView> {
    const response = await this.get(merchantId, `/v1/payments/${paymentId}`);
    expect(response.status).toBe(200);
    return response.json as unknown as PaymentView;
  }

  untilStatus(merchantId: string, paymentId: string, status: string): Promise<PaymentView> {
    return waitFor(
      async () => {
        const payment = await this.paymentOf(merchantId, paymentId);
        return payment.status === status && payment;
      },
      { description: `payment ${paymentId} ${status}` },
    );
  }

  async counts(): Promise<Counts> {
    const [row] = (await this.dataSource.query(`
      SELECT (SELECT count(*) FROM payments)::int AS payments,
             (SELECT count(*) FROM payment_events)::int AS payment_events,
             (SELECT count(*) FROM payment_orders)::int AS payment_orders,
             (SELECT count(*) FROM idempotency_keys)::int AS idempotency_keys,
             (SELECT count(*) FROM outbox)::int AS outbox`)) as Counts[];
    if (row === undefined) throw new Error('no counts');
    return row;
  }

  /**
   * The counts once the relay has published every committed outbox row. The relay deletes the rows
   * it published, so counts taken while earlier events are still in the outbox would change on their
   * own; what a request published is checked on Kafka (expectNothingPublishedSince).
   */
  async settledCounts(): Promise<Counts> {
    return waitFor(
      async () => {
        const counts = await this.counts();
        return counts.outbox === 0 && counts;
      },
      { description: 'an empty outbox' },
    );
  }

  /** Events published on keel.payment.v1 and keel.payment-order.v1 about one payment. */
  published(paymentId: string): PublishedEvent[] {
    return [...this.readers.payment.records, ...this.readers.paymentOrder.records]
      .map(decode)
      .filter((event) => event.data['paymentId'] === paymentId);
  }

  publishedTypes(paymentId: string): string[] {
    return this.published(paymentId).map((event) => event.type);
  }

  async untilPublished(paymentId: string, type: string): Promise<Record<string, unknown>> {
    const event = await waitFor(
      () => this.published(paymentId).find((candidate) => candidate.type === type),
      {
        description: `${type} of ${paymentId}`,
      },
    );
    return event.data;
  }

  /** Records read from keel.payment.v1 and keel.payment-order.v1 so far. */
  totalRecords(): number {
    return this.readers.payment.records.length + this.readers.paymentOrder.records.length;
  }

  /**
   * Checks on Kafka, beside the outbox count, that nothing was published since `recordsBefore`:
   * the relay sends in commit order, so a stray event committed earlier is sent before the events
   * of a marker payment made now; once the marker's three events are read, the count must have
   * grown by exactly them (a stray still in flight on another partition could be missed).
   */
  async expectNothingPublishedSince(recordsBefore: number): Promise<void> {
    const marker = await this.accepted(newMerchant());
    await waitFor(() => this.publishedTypes(marker.id).length === 3, { description: 'the marker events' });
    expect(this.totalRecords()).toBe(recordsBefore + 3);
  }

  /** Sends the envelopes in one produce request, in this order. */
  sendTogether(topic: string, envelopes: readonly EventEnvelope[]): Promise<void> {
    return this.service.publish(topic, envelopes);
  }

  send(topic: string, type: string, data: object): Promise<void> {
    return this.service.publish(topic, [buildEnvelope({ type, source: '/keel/test', data })]);
  }
}
