import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  buildEnvelope,
  LEDGER_EVENT_TYPES,
  ORPHAN_CHARGE_EVENT_TYPES,
  PAYMENT_ORDER_EVENT_TYPES,
  WALLET_EVENT_TYPES,
  type EventEnvelope,
  type PaymentOrderSucceededPayload,
} from '@keel/contracts';
import { startServiceUnderTest, waitFor, type ServiceUnderTest } from '@keel/testing';
import { ReconciliationEnvironment } from '../src/reconciliation.environment';
import { reconciliationModule } from '../src/reconciliation.module';

const EXECUTOR = '/keel/executor';

export interface OrderSpec {
  readonly psp?: string;
  readonly paymentOrderId?: string;
  readonly pspReference?: string;
  readonly amountMinor?: bigint;
  readonly currency?: string;
  readonly at?: string;
}

/**
 * The reconciliation service on one partition per topic, so that one send is one chunk in offset
 * order, with builders for the events its view is made of and queries of its tables.
 */
export class KeelViewFixture {
  private constructor(readonly service: ServiceUnderTest<ReconciliationEnvironment>) {}

  static async start(variables: NodeJS.ProcessEnv = {}): Promise<KeelViewFixture> {
    return new KeelViewFixture(
      await startServiceUnderTest(reconciliationModule, ReconciliationEnvironment, {
        database: 'reconciliation_view',
        partitions: 1,
        variables,
      }),
    );
  }

  stop(): Promise<void> {
    return this.service.stop();
  }

  publish(topic: string, events: readonly EventEnvelope[]): Promise<void> {
    return this.service.publish(topic, events);
  }

  async queryRows<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return (await this.service.app.get(DataSource).query(sql, parameters)) as T[];
  }

  /** Waits until the inbox recorded every one of these event ids, i.e. their transactions committed. */
  async processedByInbox(events: readonly EventEnvelope[]): Promise<void> {
    const ids = events.map((event) => event.id);
    await waitFor(
      async () =>
        (
          await this.queryRows<{ n: number }>(
            'SELECT count(DISTINCT event_id)::int AS n FROM inbox WHERE event_id = ANY($1::text[])',
            [ids],
          )
        )[0]?.n === new Set(ids).size,
      { description: `inbox rows for ${ids.length} events` },
    );
  }

  async paymentOrder(psp: string, paymentOrderId: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.queryRows<Record<string, unknown>>(
      `SELECT merchant_id, psp_reference, amount_minor, currency, status, outcome_at, orphan_detected_at
       FROM keel_payment_orders WHERE psp = $1 AND payment_order_id = $2`,
      [psp, paymentOrderId],
    );
    return row;
  }
}

export function newOrderId(): string {
  return `po-${randomUUID()}`;
}

function orderOf(spec: OrderSpec) {
  return {
    paymentOrderId: spec.paymentOrderId ?? newOrderId(),
    paymentId: `pay-${randomUUID()}`,
    sellerId: 'seller-1',
    amount: { amountMinor: (spec.amountMinor ?? 10_000n).toString(), currency: spec.currency ?? 'KRW' },
    paymentMethod: { type: 'card' as const },
  };
}

export function succeededData(spec: OrderSpec = {}): PaymentOrderSucceededPayload {
  return {
    ...orderOf(spec),
    merchantId: 'merchant-1',
    pspId: spec.psp ?? 'acme',
    pspReference: spec.pspReference ?? `ch_${randomUUID()}`,
    succeededAt: spec.at ?? new Date().toISOString(),
  };
}

export function succeeded(data: PaymentOrderSucceededPayload, id?: string): EventEnvelope {
  return buildEnvelope({ type: PAYMENT_ORDER_EVENT_TYPES.succeeded, source: EXECUTOR, data, id });
}

/** The v2 the executor publishes beside v1 for an order with a platform fee. */
export function succeededV2(data: PaymentOrderSucceededPayload): EventEnvelope {
  return buildEnvelope({
    type: PAYMENT_ORDER_EVENT_TYPES.succeededV2,
    source: EXECUTOR,
    data: { ...data, platformFee: { amountMinor: '100', currency: data.amount.currency } },
  });
}

export function declined(spec: OrderSpec = {}): EventEnvelope {
  return buildEnvelope({
    type: PAYMENT_ORDER_EVENT_TYPES.declined,
    source: EXECUTOR,
    data: {
      ...orderOf(spec),
      pspId: spec.psp ?? 'acme',
      decline: { code: 'insufficient_funds', message: 'insufficient funds' },
      declinedAt: spec.at ?? new Date().toISOString(),
    },
  });
}

/** A failure at `spec.psp`; `psp: null` for one where no PSP was tried. */
export function failed(spec: Omit<OrderSpec, 'psp'> & { psp?: string | null } = {}): EventEnvelope {
  const common = {
    ...orderOf({ ...spec, psp: undefined }),
    failure: { code: 'psp_unavailable', message: 'no PSP could take the charge' },
    failedAt: spec.at ?? new Date().toISOString(),
  };
  return buildEnvelope({
    type: PAYMENT_ORDER_EVENT_TYPES.failed,
    source: EXECUTOR,
    data: spec.psp === null ? common : { ...common, pspId: spec.psp ?? 'acme' },
  });
}

export interface OrphanSpec {
  readonly psp: string;
  readonly paymentOrderId: string;
  readonly pspReference: string;
  readonly amountMinor: bigint;
  readonly detectedAt: string;
}

export function orphanDetected(spec: OrphanSpec): EventEnvelope {
  return buildEnvelope({
    type: ORPHAN_CHARGE_EVENT_TYPES.detected,
    source: EXECUTOR,
    data: {
      paymentOrderId: spec.paymentOrderId,
      paymentId: `pay-${randomUUID()}`,
      pspId: spec.psp,
      pspReference: spec.pspReference,
      amount: { amountMinor: spec.amountMinor.toString(), currency: 'KRW' },
      detectedAt: spec.detectedAt,
    },
  });
}

export function orphanRefunded(
  spec: OrphanSpec & { refundReference: string; refundedAt: string },
): EventEnvelope {
  return buildEnvelope({
    type: ORPHAN_CHARGE_EVENT_TYPES.refunded,
    source: EXECUTOR,
    data: {
      paymentOrderId: spec.paymentOrderId,
      paymentId: `pay-${randomUUID()}`,
      pspId: spec.psp,
      pspReference: spec.pspReference,
      amount: { amountMinor: spec.amountMinor.toString(), currency: 'KRW' },
      detectedAt: spec.detectedAt,
      refundReference: spec.refundReference,
      refundedAt: spec.refundedAt,
    },
  });
}

/** The merchant and seller a charge's ledger entry pays when a test names none. */
export const FIXTURE_SELLER = { merchantId: 'merchant-fixture', sellerId: 'seller-fixture' } as const;

/** The ledger's seller payable account of a merchant's seller (its accounts_id_format). */
export function sellerPayableAccountOf(merchantId: string, sellerId: string, currency: string): string {
  const key =
    merchantId === 'unknown'
      ? sellerId
      : createHash('sha256').update(`${merchantId}/${sellerId}`, 'utf8').digest('hex').slice(0, 32);
  return `seller_payable:${key}:${currency}`;
}

/** What a charge of `amountMinor` owes its seller in the fixture's ledger entries: all but a 1 % fee. */
export function netOfFee(amountMinor: bigint): bigint {
  return amountMinor - amountMinor / 100n;
}

/** A charge's journal transaction as the ledger announces it: clearing debited, seller and fee credited. */
export function chargeRecorded(spec: {
  psp: string;
  amountMinor: bigint;
  currency?: string;
  recordedAt: string;
  transactionId?: string;
  paymentOrderId?: string;
  merchantId?: string;
  sellerId?: string;
}): EventEnvelope {
  const currency = spec.currency ?? 'KRW';
  const fee = spec.amountMinor - netOfFee(spec.amountMinor);
  const sellerPayable = sellerPayableAccountOf(
    spec.merchantId ?? FIXTURE_SELLER.merchantId,
    spec.sellerId ?? FIXTURE_SELLER.sellerId,
    currency,
  );
  const money = (amountMinor: bigint) => ({ amountMinor: amountMinor.toString(), currency });
  return buildEnvelope({
    type: LEDGER_EVENT_TYPES.transactionRecorded,
    source: '/keel/ledger',
    data: {
      transactionId: spec.transactionId ?? randomUUID(),
      paymentOrderId: spec.paymentOrderId ?? newOrderId(),
      paymentId: `pay-${randomUUID()}`,
      kind: 'payment_charge',
      postings: [
        {
          accountId: `psp_clearing:${spec.psp}:${currency}`,
          direction: 'debit',
          amount: money(spec.amountMinor),
        },
        {
          accountId: sellerPayable,
          direction: 'credit',
          amount: money(spec.amountMinor - fee),
        },
        { accountId: `fee_revenue:${currency}`, direction: 'credit', amount: money(fee) },
      ],
      recordedAt: spec.recordedAt,
    },
  });
}

/** An orphan charge's refund as the ledger announces it: the PSP's clearing credited back. */
export function orphanRefundRecorded(spec: {
  psp: string;
  amountMinor: bigint;
  recordedAt: string;
}): EventEnvelope {
  const money = { amountMinor: spec.amountMinor.toString(), currency: 'KRW' };
  return buildEnvelope({
    type: LEDGER_EVENT_TYPES.transactionRecorded,
    source: '/keel/ledger',
    data: {
      transactionId: randomUUID(),
      paymentOrderId: newOrderId(),
      paymentId: `pay-${randomUUID()}`,
      kind: 'orphan_charge_refund',
      postings: [
        { accountId: `orphan_refund_payable:${spec.psp}:KRW`, direction: 'debit', amount: money },
        { accountId: `psp_clearing:${spec.psp}:KRW`, direction: 'credit', amount: money },
      ],
      recordedAt: spec.recordedAt,
    },
  });
}

export function walletCredited(spec: {
  merchantId?: string;
  sellerId: string;
  paymentOrderId?: string;
  amountMinor: bigint;
  currency?: string;
}): EventEnvelope {
  const currency = spec.currency ?? 'KRW';
  return buildEnvelope({
    type: WALLET_EVENT_TYPES.credited,
    source: '/keel/wallet',
    data: {
      ...(spec.merchantId === undefined ? {} : { merchantId: spec.merchantId }),
      sellerId: spec.sellerId,
      paymentOrderId: spec.paymentOrderId ?? newOrderId(),
      paymentId: `pay-${randomUUID()}`,
      amount: { amountMinor: spec.amountMinor.toString(), currency },
      balance: { amountMinor: spec.amountMinor.toString(), currency },
      creditedAt: new Date().toISOString(),
    },
  });
}

/** The same event under a new id: a fact republished, which the inbox cannot recognise. */
export function republished(event: EventEnvelope): EventEnvelope {
  return { ...event, id: randomUUID() };
}
