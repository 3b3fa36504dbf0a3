import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  buildEnvelope,
  PAYMENT_ORDER_EVENT_TYPES,
  TOPICS,
  WALLET_EVENT_TYPES,
  type EventEnvelope,
  type PaymentMethodType,
  type PaymentOrderSucceededV2Payload,
  type WalletCreditedPayload,
} from '@keel/contracts';
import { DEFAULT_FEE_POLICY, platformFeeOf } from '@keel/fees';
import { headerAsString, type IncomingRecord } from '@keel/messaging';
import { Money, type CurrencyCode } from '@keel/money';
import {
  startServiceUnderTest,
  waitFor,
  type ServiceUnderTest,
  type TestNamespace,
  type TopicReader,
} from '@keel/testing';
import { WalletEnvironment } from '../src/wallet.environment';
import { walletModule } from '../src/wallet.module';

/** The merchant of every order unless a test names another. */
export const DEFAULT_MERCHANT_ID = 'merchant-1';

export interface OrderSpec {
  merchantId?: string;
  sellerId: string;
  amountMinor: bigint;
  currency?: CurrencyCode;
  methodType?: PaymentMethodType;
  /** The platform fee the event carries; by default the fee the payment service decides by default. */
  feeMinor?: bigint;
}

/** Partitions of every topic of a test namespace (`createTestNamespace`'s default). */
const TEST_TOPIC_PARTITIONS = 3;

export function newSellerId(): string {
  return `seller-${randomUUID()}`;
}

/** A `payment_order.succeeded.v2` payload as the executor publishes it, with fresh ids. */
export function succeededOrder(spec: OrderSpec): PaymentOrderSucceededV2Payload {
  const currency = spec.currency ?? 'KRW';
  const methodType = spec.methodType ?? 'card';
  const feeMinor = spec.feeMinor ?? defaultFeeOf(spec.amountMinor, methodType, currency);
  return {
    paymentOrderId: `po-${randomUUID()}`,
    paymentId: `pay-${randomUUID()}`,
    merchantId: spec.merchantId ?? DEFAULT_MERCHANT_ID,
    sellerId: spec.sellerId,
    amount: { amountMinor: spec.amountMinor.toString(), currency },
    platformFee: { amountMinor: feeMinor.toString(), currency },
    paymentMethod: { type: methodType },
    pspId: 'psp-sim-a',
    pspReference: `ref-${randomUUID()}`,
    succeededAt: new Date().toISOString(),
  };
}

export function succeededEvent(data: PaymentOrderSucceededV2Payload, id?: string): EventEnvelope {
  return buildEnvelope({ type: PAYMENT_ORDER_EVENT_TYPES.succeededV2, source: '/keel/executor', data, id });
}

/**
 * A succeeded order whose record lands on the same partition as `sameAs`'s (records are keyed by
 * payment order id), so that events of both can be fetched and applied as one chunk.
 */
export function succeededOrderBeside(
  sameAs: PaymentOrderSucceededV2Payload,
  spec: OrderSpec,
  partitions = TEST_TOPIC_PARTITIONS,
): PaymentOrderSucceededV2Payload {
  const partition = kafkaPartitionOf(sameAs.paymentOrderId, partitions);
  for (let attempt = 0; attempt < 1_000; attempt += 1) {
    const order = succeededOrder(spec);
    if (kafkaPartitionOf(order.paymentOrderId, partitions) === partition) return order;
  }
  throw new Error(`no payment order id on partition ${partition} in 1000 draws`);
}

/** The partition Kafka's default (murmur2) partitioner gives `key`, as our producers use it. */
export function kafkaPartitionOf(key: string, partitions: number): number {
  return (murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % partitions;
}

/** Kafka's murmur2, as in the Java client's `Utils.murmur2`. */
function murmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  let h = 0x9747b28c ^ data.length;
  const whole = data.length - (data.length % 4);
  for (let index = 0; index < whole; index += 4) {
    let k = data.readInt32LE(index);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = data.length % 4;
  if (rest === 3) h ^= (data[whole + 2] ?? 0) << 16;
  if (rest >= 2) h ^= (data[whole + 1] ?? 0) << 8;
  if (rest >= 1) h = Math.imul(h ^ (data[whole] ?? 0), m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h;
}

/**
 * The fee the payment service decides under its default policy: what `succeededOrder` puts in the
 * event unless told otherwise. The wallet applies whatever fee the event carries.
 */
function defaultFeeOf(amountMinor: bigint, methodType: PaymentMethodType, currency: CurrencyCode): bigint {
  return platformFeeOf(Money.of(amountMinor, currency), methodType, DEFAULT_FEE_POLICY).amountMinor;
}

/** The net credit of an order whose event carries the default fee. */
export function netOf(
  amountMinor: bigint,
  methodType: PaymentMethodType = 'card',
  currency: CurrencyCode = 'KRW',
): bigint {
  return amountMinor - defaultFeeOf(amountMinor, methodType, currency);
}

export function creditedPayloadOf(record: IncomingRecord): WalletCreditedPayload | undefined {
  if (headerAsString(record.headers['ce_type']) !== WALLET_EVENT_TYPES.credited) return undefined;
  return JSON.parse(record.value?.toString('utf8') ?? 'null') as WalletCreditedPayload;
}

/**
 * The wallet service in-process on a fresh database and topic namespace, a producer for the
 * payment order topic, and a reader of everything the wallet publishes.
 */
export class WalletFixture {
  private constructor(
    private readonly service: ServiceUnderTest<WalletEnvironment>,
    readonly walletTopic: TopicReader,
  ) {}

  static async start(variables: NodeJS.ProcessEnv = {}): Promise<WalletFixture> {
    const service = await startServiceUnderTest(walletModule, WalletEnvironment, {
      database: 'wallet',
      variables,
      partitions: TEST_TOPIC_PARTITIONS,
    });
    const walletTopic = await service.startReader(service.namespace.topic(TOPICS.wallet));
    return new WalletFixture(service, walletTopic);
  }

  get app(): INestApplication {
    return this.service.app;
  }

  get baseUrl(): string {
    return this.service.baseUrl;
  }

  get dataSource(): DataSource {
    return this.service.app.get(DataSource);
  }

  get namespace(): TestNamespace {
    return this.service.namespace;
  }

  /**
   * One more wallet instance on the same database, topics and consumer group, as in a scaled
   * deployment: the group shares the partitions out between the instances.
   */
  startAnotherInstance(): Promise<INestApplication> {
    return this.service.startAnotherInstance();
  }

  stop(): Promise<void> {
    return this.service.stop();
  }

  produce(events: readonly EventEnvelope[]): Promise<void> {
    return this.service.publish(TOPICS.paymentOrder, events);
  }

  creditsPublishedFor(sellerId: string): WalletCreditedPayload[] {
    return this.walletTopic.records
      .map(creditedPayloadOf)
      .filter((payload): payload is WalletCreditedPayload => payload?.sellerId === sellerId);
  }

  waitForCreditsPublished(sellerId: string, count: number): Promise<WalletCreditedPayload[]> {
    return waitFor(
      () => {
        const credits = this.creditsPublishedFor(sellerId);
        return credits.length >= count && credits;
      },
      { description: `${count} wallet.credited events for ${sellerId}` },
    );
  }

  async queryRows<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return (await this.dataSource.query(sql, parameters)) as T[];
  }

  async walletRow(
    sellerId: string,
    currency = 'KRW',
    merchantId = DEFAULT_MERCHANT_ID,
  ): Promise<{ balance_minor: string; version: string }> {
    const [row] = await this.queryRows<{ balance_minor: string; version: string }>(
      'SELECT balance_minor, version FROM wallets WHERE merchant_id = $1 AND seller_id = $2 AND currency = $3',
      [merchantId, sellerId, currency],
    );
    if (row === undefined) throw new Error(`no ${currency} wallet for ${sellerId} of ${merchantId}`);
    return row;
  }

  /** Waits until the inbox recorded every one of these event ids, i.e. their transactions committed. */
  async processedByInbox(eventIds: readonly string[]): Promise<void> {
    await waitFor(
      async () => {
        const rows = await this.queryRows<{ n: number }>(
          'SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1::text[])',
          [eventIds],
        );
        return rows[0]?.n === eventIds.length;
      },
      { description: `inbox rows for ${eventIds.length} events` },
    );
  }

  /** Entries in balance order must each add their amount to the one before: none lost or doubled. */
  async expectEntriesChainUp(
    sellerId: string,
    count: number,
    expectedBalance: bigint,
    merchantId = DEFAULT_MERCHANT_ID,
  ): Promise<void> {
    const rows = await this.queryRows<{ amount_minor: string; balance_after_minor: string }>(
      `SELECT amount_minor, balance_after_minor FROM wallet_entries
       WHERE merchant_id = $1 AND seller_id = $2 ORDER BY balance_after_minor`,
      [merchantId, sellerId],
    );
    expect(rows).toHaveLength(count);
    let balance = 0n;
    for (const row of rows) {
      balance += BigInt(row.amount_minor);
      expect(BigInt(row.balance_after_minor)).toBe(balance);
    }
    expect(balance).toBe(expectedBalance);
  }
}
