import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PAYMENT_METHOD_TYPES, type PaymentMethodType } from '@keel/contracts';
import { isPaymentOrderStatus, type PaymentOrderStatus } from '@keel/executor-domain';
import type { PaymentOrder } from './payment-order.record';

export interface PaymentOrderRow {
  payment_order_id: string;
  payment_id: string;
  merchant_id: string;
  seller_id: string;
  amount_minor: string;
  currency: string;
  method_type: string;
  method_provider: string | null;
  instrument_token: string | null;
  platform_fee_minor: string | null;
  status: string;
  status_reason: string | null;
  psp_id: string | null;
  psp_reference: string | null;
  result_code: string | null;
  result_message: string | null;
  attempts: number;
  inquiries: number;
  next_attempt_at: Date;
  lease_expires_at: Date | null;
  lease_holder: string | null;
  traceparent: string | null;
  requested_at: Date;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
  unknown_since: Date | null;
  overdue_reported_at: Date | null;
}

/** What an outcome changes on an order; absent fields keep their values. */
export interface PaymentOrderUpdate {
  readonly status: PaymentOrderStatus;
  readonly statusReason: string;
  /** When the worker (created) or the resolver (unknown) should next take it; now when absent. */
  readonly nextAttemptDelayMs?: number;
  readonly pspReference?: string;
  readonly resultCode?: string;
  readonly resultMessage?: string;
  readonly completed: boolean;
}

function optional<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

function methodTypeOf(value: string): PaymentMethodType {
  const methodType = PAYMENT_METHOD_TYPES.find((type) => type === value);
  if (methodType === undefined)
    throw new Error(`payment_orders.method_type '${value}' is not a payment method`);
  return methodType;
}

export function paymentOrderOf(row: PaymentOrderRow): PaymentOrder {
  if (!isPaymentOrderStatus(row.status)) throw new Error(`payment_orders.status '${row.status}' is unknown`);
  return {
    paymentOrderId: row.payment_order_id,
    paymentId: row.payment_id,
    merchantId: row.merchant_id,
    sellerId: row.seller_id,
    amountMinor: BigInt(row.amount_minor),
    currency: row.currency,
    methodType: methodTypeOf(row.method_type),
    methodProvider: optional(row.method_provider),
    instrumentToken: optional(row.instrument_token),
    platformFeeMinor: row.platform_fee_minor === null ? undefined : BigInt(row.platform_fee_minor),
    status: row.status,
    statusReason: optional(row.status_reason),
    pspId: optional(row.psp_id),
    pspReference: optional(row.psp_reference),
    resultCode: optional(row.result_code),
    resultMessage: optional(row.result_message),
    attempts: row.attempts,
    inquiries: row.inquiries,
    nextAttemptAt: row.next_attempt_at,
    leaseExpiresAt: optional(row.lease_expires_at),
    leaseHolder: optional(row.lease_holder),
    traceparent: optional(row.traceparent),
    requestedAt: row.requested_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: optional(row.completed_at),
    unknownSince: optional(row.unknown_since),
    overdueReportedAt: optional(row.overdue_reported_at),
  };
}

// TypeORM answers an UPDATE ... RETURNING with [rows, affectedCount].
function updatedRows(result: unknown): PaymentOrderRow[] {
  return Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as PaymentOrderRow[]) : [];
}

/**
 * The SQL of table payment_orders. Every method runs in the caller's transaction (its
 * EntityManager). Claims lock with FOR UPDATE SKIP LOCKED, so several executors share the work
 * without taking the same order twice.
 */
@Injectable()
export class PaymentOrderRepository {
  async findById(manager: EntityManager, paymentOrderId: string): Promise<PaymentOrder | undefined> {
    const rows = (await manager.query('SELECT * FROM payment_orders WHERE payment_order_id = $1', [
      paymentOrderId,
    ])) as PaymentOrderRow[];
    return rows[0] === undefined ? undefined : paymentOrderOf(rows[0]);
  }

  /** The orders of these ids that exist, in one statement. */
  async findByIds(manager: EntityManager, paymentOrderIds: readonly string[]): Promise<PaymentOrder[]> {
    if (paymentOrderIds.length === 0) return [];
    const rows = (await manager.query(
      'SELECT * FROM payment_orders WHERE payment_order_id = ANY($1::text[])',
      [paymentOrderIds],
    )) as PaymentOrderRow[];
    return rows.map(paymentOrderOf);
  }

  /** Locks one order for the rest of the transaction, waiting for a claim that holds it. */
  async lockById(manager: EntityManager, paymentOrderId: string): Promise<PaymentOrder | undefined> {
    const rows = (await manager.query('SELECT * FROM payment_orders WHERE payment_order_id = $1 FOR UPDATE', [
      paymentOrderId,
    ])) as PaymentOrderRow[];
    return rows[0] === undefined ? undefined : paymentOrderOf(rows[0]);
  }

  /** Due orders in `created` or `unknown`, oldest first, skipping those another executor holds. */
  async lockDue(
    manager: EntityManager,
    status: 'created' | 'unknown',
    limit: number,
  ): Promise<PaymentOrder[]> {
    const rows = (await manager.query(
      `SELECT * FROM payment_orders
       WHERE status = $1 AND next_attempt_at <= now()
       ORDER BY next_attempt_at
       LIMIT $2
       FOR UPDATE SKIP LOCKED`,
      [status, limit],
    )) as PaymentOrderRow[];
    return rows.map(paymentOrderOf);
  }

  /** Orders left in `executing` past their lease: the process charging them stopped mid-call. */
  async lockExpiredLeases(manager: EntityManager, limit: number): Promise<PaymentOrder[]> {
    const rows = (await manager.query(
      `SELECT * FROM payment_orders
       WHERE status = 'executing' AND lease_expires_at < now()
       ORDER BY lease_expires_at
       LIMIT $1
       FOR UPDATE SKIP LOCKED`,
      [limit],
    )) as PaymentOrderRow[];
    return rows.map(paymentOrderOf);
  }

  /**
   * Ends now the unexpired leases `holder` holds on `executing` orders, so the resolver takes them
   * over at its next poll; answers how many.
   */
  async expireLeasesHeldBy(manager: EntityManager, holder: string): Promise<number> {
    const expired = (await manager.query(
      `UPDATE payment_orders SET lease_expires_at = now(), updated_at = now()
       WHERE status = 'executing' AND lease_holder = $1 AND lease_expires_at > now()
       RETURNING payment_order_id`,
      [holder],
    )) as unknown;
    return updatedRows(expired).length;
  }

  /**
   * Unknown orders never reported overdue, longest unknown first, with the database's clock (the
   * one unknown_since was written with), skipping those another executor holds.
   */
  async lockUnreportedUnknown(
    manager: EntityManager,
    limit: number,
  ): Promise<{ orders: PaymentOrder[]; now: Date }> {
    const rows = (await manager.query(
      `SELECT *, now() AS checked_at FROM payment_orders
       WHERE status = 'unknown' AND overdue_reported_at IS NULL
       ORDER BY unknown_since
       LIMIT $1
       FOR UPDATE SKIP LOCKED`,
      [limit],
    )) as (PaymentOrderRow & { checked_at: Date })[];
    const [first] = rows;
    const now = first === undefined ? new Date() : first.checked_at;
    return { orders: rows.map(paymentOrderOf), now };
  }

  async markOverdueReported(manager: EntityManager, paymentOrderId: string): Promise<PaymentOrder> {
    return this.updateOne(
      manager,
      `UPDATE payment_orders SET overdue_reported_at = now()
       WHERE payment_order_id = $1 AND status = 'unknown' AND overdue_reported_at IS NULL
       RETURNING *`,
      [paymentOrderId],
    );
  }

  /** Orders in `unknown` per PSP (only PSPs with some). */
  async countUnknownByPsp(manager: EntityManager): Promise<Map<string, number>> {
    const rows = (await manager.query(
      `SELECT psp_id, count(*)::int AS orders FROM payment_orders WHERE status = 'unknown' GROUP BY psp_id`,
    )) as { psp_id: string; orders: number }[];
    return new Map(rows.map((row) => [row.psp_id, row.orders]));
  }

  /** One more inquiry; the order is not due again until `leaseMs` passed, unless resolved first. */
  async markInquiring(
    manager: EntityManager,
    paymentOrderId: string,
    leaseMs: number,
  ): Promise<PaymentOrder> {
    return this.updateOne(
      manager,
      `UPDATE payment_orders
       SET inquiries = inquiries + 1, next_attempt_at = now() + $2 * interval '1 millisecond', updated_at = now()
       WHERE payment_order_id = $1 AND status = 'unknown'
       RETURNING *`,
      [paymentOrderId, leaseMs],
    );
  }

  /** Records the status an outcome led to. */
  async update(
    manager: EntityManager,
    paymentOrderId: string,
    update: PaymentOrderUpdate,
  ): Promise<PaymentOrder> {
    return this.updateOne(
      manager,
      `UPDATE payment_orders
       SET status = $2, status_reason = $3,
           next_attempt_at = now() + $4 * interval '1 millisecond',
           psp_reference = COALESCE($5, psp_reference),
           result_code = COALESCE($6, result_code),
           result_message = COALESCE($7, result_message),
           lease_expires_at = NULL, lease_holder = NULL,
           completed_at = CASE WHEN $8 THEN now() ELSE NULL END,
           -- A new stretch in unknown starts its clock; staying unknown or leaving keeps the record.
           unknown_since = CASE WHEN $2 = 'unknown' AND status <> 'unknown' THEN now() ELSE unknown_since END,
           updated_at = now()
       WHERE payment_order_id = $1
       RETURNING *`,
      [
        paymentOrderId,
        update.status,
        update.statusReason,
        update.nextAttemptDelayMs ?? 0,
        update.pspReference ?? null,
        update.resultCode ?? null,
        update.resultMessage ?? null,
        update.completed,
      ],
    );
  }

  private async updateOne(manager: EntityManager, sql: string, parameters: unknown[]): Promise<PaymentOrder> {
    const [row] = updatedRows(await manager.query(sql, parameters));
    if (row === undefined)
      throw new Error(`payment order ${String(parameters[0])} was not in the expected state`);
    return paymentOrderOf(row);
  }
}
