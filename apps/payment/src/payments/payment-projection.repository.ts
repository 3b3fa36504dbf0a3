import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedStatement, runPrepared } from '@keel/database';
import { providerOf, type PaymentOrderState, type PaymentState } from '@keel/payment-domain';
import { orderProgressColumns, statusHistoryColumns } from './payment-record.util';

export interface PaymentRow {
  id: string;
  merchant_id: string;
  checkout_id: string;
  buyer_id: string;
  buyer_email: string | null;
  buyer_country: string | null;
  payment_method_type: string;
  payment_method_provider: string;
  currency: string;
  amount_minor: string;
  status: string;
  failure_code: string | null;
  failure_message: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface PaymentOrderRow {
  id: string;
  payment_id: string;
  seller_id: string;
  currency: string;
  amount_minor: string;
  status: string;
  psp_id: string | null;
  psp_reference: string | null;
  failure_code: string | null;
  failure_message: string | null;
  wallet_credited_at: Date | null;
  ledger_transaction_id: string | null;
  ledger_recorded_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface StatusHistoryRow {
  payment_order_id: string | null;
  status: string;
  reason_code: string | null;
  occurred_at: Date;
}

/** The read model of one payment, always read for one merchant. */
export interface PaymentRecord {
  readonly payment: PaymentRow;
  readonly orders: readonly PaymentOrderRow[];
  readonly history?: readonly StatusHistoryRow[];
}

export interface PageCursor {
  readonly createdAt: string;
  readonly id: string;
}

const COUNT_BUYER_PAYMENTS_SINCE = preparedStatement(
  'payment_count_buyer_payments_since',
  `SELECT count(*)::int AS count FROM payments WHERE merchant_id = $1 AND buyer_id = $2 AND created_at > $3`,
);

/** The advisory lock (taken with hashtextextended(key, 0)) that serialises one buyer's intake. */
export function buyerLockKey(merchantId: string, buyerId: string): string {
  return `payment-buyer:${merchantId}:${buyerId}`;
}

const PAYMENT_COLUMNS = `id, merchant_id, checkout_id, buyer_id, buyer_email, buyer_country, payment_method_type,
  payment_method_provider, currency, amount_minor, status, failure_code, failure_message, created_at, updated_at`;
const ORDER_COLUMNS = `id, payment_id, seller_id, currency, amount_minor, status, psp_id, psp_reference, failure_code,
  failure_message, wallet_credited_at, ledger_transaction_id, ledger_recorded_at, created_at, updated_at`;

const LOCK_PAYMENTS = preparedStatement(
  'payment_lock_payments',
  'SELECT id FROM payments WHERE id = ANY ($1::text[]) ORDER BY id FOR UPDATE',
);

/**
 * SQL of the projections (payments, payment_orders, payment_status_history). They are written
 * only from folded event-store state, in the transaction that appends the events, and every read
 * for the API names the merchant: another merchant's payment does not exist for the caller.
 */
@Injectable()
export class PaymentProjectionRepository {
  /** Writes the state; `changedOrders` and history after `sinceVersion` are what the new events touched. */
  async write(
    manager: EntityManager,
    state: PaymentState,
    changedOrders: readonly PaymentOrderState[],
    sinceVersion: number,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO payments (id, merchant_id, checkout_id, buyer_id, buyer_email, buyer_country,
         payment_method_type, payment_method_provider, currency, amount_minor, status, failure_code,
         failure_message, version, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, failure_code = EXCLUDED.failure_code,
         failure_message = EXCLUDED.failure_message, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
      [
        state.id,
        state.merchantId,
        state.checkoutId,
        state.buyer.id,
        state.buyer.email ?? null,
        state.buyer.country ?? null,
        state.paymentMethod.type,
        providerOf(state.paymentMethod),
        state.currency,
        state.amountMinor.toString(),
        state.status,
        state.failure?.code ?? null,
        state.failure?.message ?? null,
        state.version,
        state.createdAt,
        state.updatedAt,
      ],
    );
    if (changedOrders.length > 0) await this.writeOrders(manager, state, changedOrders);
    const history = state.history.filter((change) => change.version > sinceVersion);
    if (history.length > 0) {
      await manager.query(
        `INSERT INTO payment_status_history
           (payment_id, version, ordinal, payment_order_id, status, reason_code, occurred_at)
         SELECT $1, * FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])`,
        [state.id, ...statusHistoryColumns(history)],
      );
    }
  }

  private async writeOrders(
    manager: EntityManager,
    state: PaymentState,
    orders: readonly PaymentOrderState[],
  ): Promise<void> {
    await manager.query(
      `INSERT INTO payment_orders (id, payment_id, merchant_id, currency, position, seller_id, amount_minor,
         status, psp_id, psp_reference, failure_code, failure_message, wallet_credited_at,
         ledger_transaction_id, ledger_recorded_at, created_at, updated_at)
       SELECT o.id, $1, $2, $3, o.position, o.seller_id, o.amount_minor, o.status, o.psp_id, o.psp_reference,
              o.failure_code, o.failure_message, o.wallet_credited_at, o.ledger_transaction_id,
              o.ledger_recorded_at, o.created_at, o.updated_at
         FROM unnest($4::text[], $5::int[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[],
                     $11::text[], $12::text[], $13::timestamptz[], $14::text[], $15::timestamptz[],
                     $16::timestamptz[], $17::timestamptz[])
           AS o (id, position, seller_id, amount_minor, status, psp_id, psp_reference, failure_code,
                 failure_message, wallet_credited_at, ledger_transaction_id, ledger_recorded_at,
                 created_at, updated_at)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, psp_id = EXCLUDED.psp_id,
         psp_reference = EXCLUDED.psp_reference, failure_code = EXCLUDED.failure_code,
         failure_message = EXCLUDED.failure_message, wallet_credited_at = EXCLUDED.wallet_credited_at,
         ledger_transaction_id = EXCLUDED.ledger_transaction_id,
         ledger_recorded_at = EXCLUDED.ledger_recorded_at, updated_at = EXCLUDED.updated_at`,
      [
        state.id,
        state.merchantId,
        state.currency,
        orders.map((order) => order.id),
        orders.map((order) => state.orders.indexOf(order)),
        orders.map((order) => order.sellerId),
        orders.map((order) => order.amountMinor.toString()),
        ...orderProgressColumns(orders),
        orders.map((order) => order.createdAt),
        orders.map((order) => order.updatedAt),
      ],
    );
  }

  /**
   * Locks the rows of the stored payments among `paymentIds` until commit, in id order so that
   * chunks touching the same payments never deadlock; returns the ids it locked. A writer of
   * these payments waits here, so their next event versions are its own.
   */
  async lockPayments(manager: EntityManager, paymentIds: readonly string[]): Promise<string[]> {
    const rows = await runPrepared<{ id: string }>(manager, LOCK_PAYMENTS, [paymentIds]);
    return rows.map((row) => row.id);
  }

  /** Serialises intake per buyer until commit, so concurrent payments cannot both pass the velocity rule. */
  async lockBuyer(manager: EntityManager, merchantId: string, buyerId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      buyerLockKey(merchantId, buyerId),
    ]);
  }

  /** Read after the buyer's lock, in a statement of its own, so its snapshot sees every earlier accept. */
  async countBuyerPaymentsSince(
    manager: EntityManager,
    merchantId: string,
    buyerId: string,
    since: Date,
  ): Promise<number> {
    const [row] = await runPrepared<{ count: number }>(manager, COUNT_BUYER_PAYMENTS_SINCE, [
      merchantId,
      buyerId,
      since.toISOString(),
    ]);
    return row?.count ?? 0;
  }

  async findPayment(
    manager: EntityManager,
    merchantId: string,
    paymentId: string,
  ): Promise<PaymentRecord | undefined> {
    const [payment] = (await manager.query(
      `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE merchant_id = $1 AND id = $2`,
      [merchantId, paymentId],
    )) as PaymentRow[];
    if (payment === undefined) return undefined;
    const orders = await this.ordersOf(manager, merchantId, [paymentId]);
    const history = (await manager.query(
      `SELECT payment_order_id, status, reason_code, occurred_at FROM payment_status_history
        WHERE payment_id = $1 ORDER BY version, ordinal`,
      [paymentId],
    )) as StatusHistoryRow[];
    return { payment, orders, history };
  }

  /** Newest first; `after` continues a previous page. One row more than `limit` says whether more exist. */
  async listPayments(
    manager: EntityManager,
    merchantId: string,
    filter: { readonly checkoutId?: string; readonly after?: PageCursor },
    limit: number,
  ): Promise<PaymentRecord[]> {
    const payments = (await manager.query(
      `SELECT ${PAYMENT_COLUMNS} FROM payments
        WHERE merchant_id = $1
          AND ($2::text IS NULL OR checkout_id = $2)
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::text))
        ORDER BY created_at DESC, id DESC
        LIMIT $5`,
      [
        merchantId,
        filter.checkoutId ?? null,
        filter.after?.createdAt ?? null,
        filter.after?.id ?? null,
        limit,
      ],
    )) as PaymentRow[];
    const orders = await this.ordersOf(
      manager,
      merchantId,
      payments.map((payment) => payment.id),
    );
    return payments.map((payment) => ({
      payment,
      orders: orders.filter((order) => order.payment_id === payment.id),
    }));
  }

  private async ordersOf(
    manager: EntityManager,
    merchantId: string,
    paymentIds: readonly string[],
  ): Promise<PaymentOrderRow[]> {
    if (paymentIds.length === 0) return [];
    return (await manager.query(
      `SELECT ${ORDER_COLUMNS} FROM payment_orders
        WHERE merchant_id = $1 AND payment_id = ANY ($2::text[]) ORDER BY payment_id, position`,
      [merchantId, paymentIds],
    )) as PaymentOrderRow[];
  }

  /** Empties every projection before a rebuild. */
  async truncate(manager: EntityManager): Promise<void> {
    await manager.query('TRUNCATE payment_status_history, payment_orders, payments');
  }
}
