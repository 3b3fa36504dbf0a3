import { randomBytes } from 'node:crypto';
import type { QueryRunner, DataSource } from 'typeorm';
import {
  buildEnvelope,
  ORPHAN_CHARGE_EVENT_TYPES,
  PAYMENT_ORDER_EVENT_TYPES,
  toKafkaRecord,
  type EventEnvelope,
  type LedgerTransactionRecordedPayload,
  type OrphanChargeDetectedPayload,
  type OrphanChargeRefundedPayload,
  type PaymentMethodType,
  type PaymentOrderSucceededV2Payload,
} from '@keel/contracts';
import { DEFAULT_FEE_POLICY, platformFeeOf } from '@keel/fees';
import { headerAsString, type IncomingRecord, type RecordProducer } from '@keel/messaging';
import { sellerPayableAccount } from '@keel/ledger-domain';
import { isCurrencyCode, Money } from '@keel/money';
import { operatorAuthorization } from '@keel/testing';

/** A prefix that keeps one test's sellers and PSPs apart from every other test's. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** The merchant of every charge unless a test names another. */
export const DEFAULT_MERCHANT_ID = 'merchant-1';

/** The id of a merchant's seller's payable account in `currency`. */
export function sellerPayableIdOf(
  sellerId: string,
  currency = 'KRW',
  merchantId: string = DEFAULT_MERCHANT_ID,
): string {
  if (!isCurrencyCode(currency)) throw new Error(`Unknown currency ${currency}`);
  return sellerPayableAccount(merchantId, sellerId, currency).id;
}

export interface ChargeFixture {
  merchantId?: string;
  sellerId?: string;
  pspId?: string;
  amountMinor?: string;
  currency?: string;
  methodType?: PaymentMethodType;
  paymentOrderId?: string;
  /** The platform fee the event carries; by default the fee the payment service decides by default. */
  feeMinor?: string;
}

/** The fee the payment service decides under its default policy; 0 for a currency Keel does not know. */
function defaultFeeMinorOf(amountMinor: string, currency: string, methodType: PaymentMethodType): string {
  if (!isCurrencyCode(currency)) return '0';
  return platformFeeOf(
    Money.of(BigInt(amountMinor), currency),
    methodType,
    DEFAULT_FEE_POLICY,
  ).amountMinor.toString();
}

/** A `payment_order.succeeded.v2` payload; every id is fresh unless given. */
export function succeededPayload(fixture: ChargeFixture = {}): PaymentOrderSucceededV2Payload {
  const paymentOrderId = fixture.paymentOrderId ?? uniqueId('po');
  const amountMinor = fixture.amountMinor ?? '10000';
  const currency = fixture.currency ?? 'KRW';
  const methodType = fixture.methodType ?? 'card';
  return {
    paymentOrderId,
    paymentId: `pay-of-${paymentOrderId}`,
    merchantId: fixture.merchantId ?? DEFAULT_MERCHANT_ID,
    sellerId: fixture.sellerId ?? uniqueId('seller'),
    amount: { amountMinor, currency },
    platformFee: {
      amountMinor: fixture.feeMinor ?? defaultFeeMinorOf(amountMinor, currency, methodType),
      currency,
    },
    paymentMethod: { type: methodType, provider: 'shinhan' },
    pspId: fixture.pspId ?? uniqueId('psp'),
    pspReference: uniqueId('ref'),
    succeededAt: '2026-11-23T10:00:00.000Z',
  };
}

/** What the seller is owed for a charge: its amount less the fee its event carries. */
export function sellerNetMinorOf(payload: PaymentOrderSucceededV2Payload): bigint {
  return BigInt(payload.amount.amountMinor) - BigInt(payload.platformFee.amountMinor);
}

/** A new event (a new event id) around the payload, as the executor would publish it. */
export function succeededEvent(
  payload: PaymentOrderSucceededV2Payload,
): EventEnvelope<PaymentOrderSucceededV2Payload> {
  return buildEnvelope({
    type: PAYMENT_ORDER_EVENT_TYPES.succeededV2,
    source: '/keel/executor',
    data: payload,
  });
}

export async function produce(
  producer: RecordProducer,
  topic: string,
  events: readonly EventEnvelope[],
): Promise<void> {
  await producer.send(events.map((event) => ({ topic, ...toKafkaRecord(event) })));
}

export interface RecordedEvent {
  type: string | undefined;
  key: string | undefined;
  payload: LedgerTransactionRecordedPayload;
}

export function recordedEventOf(record: IncomingRecord): RecordedEvent {
  return {
    type: headerAsString(record.headers['ce_type']),
    key: record.key?.toString('utf8'),
    payload: JSON.parse(record.value?.toString('utf8') ?? 'null') as LedgerTransactionRecordedPayload,
  };
}

/** Runs statements in one raw transaction and commits it; rolls back and rethrows on failure. */
export async function commitRaw(
  dataSource: DataSource,
  statements: readonly [string, unknown[]][],
): Promise<void> {
  const runner: QueryRunner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    try {
      for (const [sql, parameters] of statements) await runner.query(sql, parameters);
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    }
  } finally {
    await runner.release();
  }
}

/** GET of a ledger read, as an operator (viewer) unless `authorization` says otherwise (null: none). */
export async function getJson<T>(
  baseUrl: string,
  path: string,
  authorization: string | null = operatorAuthorization('viewer'),
): Promise<{ status: number; contentType: string; body: T; challenge: string | null }> {
  const response = await fetch(`${baseUrl}${path}`, {
    headers: authorization === null ? {} : { authorization },
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: (await response.json()) as T,
    challenge: response.headers.get('www-authenticate'),
  };
}

/** An orphan charge of `amountMinor` KRW at `pspId`, for a fresh payment order. */
export function orphanDetectedPayload(pspId: string, amountMinor: string): OrphanChargeDetectedPayload {
  const paymentOrderId = uniqueId('po');
  return {
    paymentOrderId,
    paymentId: `pay-of-${paymentOrderId}`,
    pspId,
    pspReference: uniqueId('ch'),
    amount: { amountMinor, currency: 'KRW' },
    detectedAt: '2026-11-23T10:00:00.000Z',
  };
}

/** The refund of the orphan charge `detected` names. */
export function orphanRefundedPayload(detected: OrphanChargeDetectedPayload): OrphanChargeRefundedPayload {
  return { ...detected, refundReference: uniqueId('re'), refundedAt: '2026-11-23T10:00:01.000Z' };
}

/** An `orphan_charge_detected` event of `amountMinor` KRW at `pspId`, for a fresh payment order. */
export function orphanDetectedEvent(
  pspId: string,
  amountMinor: string,
): EventEnvelope<OrphanChargeDetectedPayload> {
  return buildEnvelope({
    type: ORPHAN_CHARGE_EVENT_TYPES.detected,
    source: '/keel/executor',
    data: orphanDetectedPayload(pspId, amountMinor),
  });
}

/** The refund of the orphan charge `detected` announces. */
export function orphanRefundedEvent(
  detected: EventEnvelope<OrphanChargeDetectedPayload>,
): EventEnvelope<OrphanChargeRefundedPayload> {
  return buildEnvelope({
    type: ORPHAN_CHARGE_EVENT_TYPES.refunded,
    source: '/keel/executor',
    data: orphanRefundedPayload(detected.data),
  });
}

export interface AccountDrift {
  id: string;
  balance_minor: string;
  version: string;
  postings_sum_minor: string;
  transaction_count: string;
}

/** Accounts whose running balance or version disagrees with their postings, in plain SQL. */
export async function accountDrift(dataSource: DataSource): Promise<AccountDrift[]> {
  return (await dataSource.query(`
    SELECT account.id, account.balance_minor, account.version,
           coalesce(posted.sum_minor, 0)::text AS postings_sum_minor,
           coalesce(posted.transaction_count, 0)::text AS transaction_count
    FROM accounts AS account
    LEFT JOIN (
      SELECT account_id, sum(amount_minor) AS sum_minor, count(DISTINCT transaction_id) AS transaction_count
      FROM postings GROUP BY account_id
    ) AS posted ON posted.account_id = account.id
    WHERE account.balance_minor <> coalesce(posted.sum_minor, 0)
       OR account.version <> coalesce(posted.transaction_count, 0)`)) as AccountDrift[];
}
