import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PaymentOrderStatus } from '@keel/executor-domain';
import { preparedStatement, runPrepared } from '@keel/database';
import type { OrderLease } from '../executor.settings';
import type { AttemptFinish } from './payment-order-attempt.repository';
import type { NewPaymentOrder, PaymentOrder } from './payment-order.record';
import { paymentOrderOf, type PaymentOrderRow, type PaymentOrderUpdate } from './payment-order.repository';

/** How a new order is stored: claimed for a PSP, failed at once, or left for the poller. */
export type NewOrderDisposition =
  | { readonly kind: 'claim'; readonly pspId: string }
  | { readonly kind: 'fail'; readonly code: string; readonly message: string }
  | { readonly kind: 'defer' };

export interface NewOrderRow {
  readonly order: NewPaymentOrder;
  readonly disposition: NewOrderDisposition;
}

export interface ChargeAttemptStart {
  readonly paymentOrderId: string;
  readonly pspId: string;
  readonly reason: string;
}

/** An outcome for an order still as it was claimed: `executing` after `attempts` charges. */
/** A decision for an order this transaction read under lock, applied only if it is still as read. */
export interface LockedOrderUpdate {
  readonly paymentOrderId: string;
  /** The status and attempts the order had when it was read. */
  readonly status: PaymentOrderStatus;
  readonly attempts: number;
  readonly update: PaymentOrderUpdate;
}

const INSERT_ORDERS = preparedStatement(
  'executor_insert_payment_orders',
  `INSERT INTO payment_orders (payment_order_id, payment_id, merchant_id, seller_id, amount_minor, currency,
     method_type, method_provider, instrument_token, platform_fee_minor, traceparent, requested_at, status,
     psp_id, attempts, lease_expires_at, lease_holder, status_reason, result_code, result_message, completed_at)
   SELECT n.payment_order_id, n.payment_id, n.merchant_id, n.seller_id, n.amount_minor, n.currency,
     n.method_type, n.method_provider, n.instrument_token, n.platform_fee_minor, n.traceparent, n.requested_at,
     n.status, n.psp_id,
     CASE WHEN n.status = 'executing' THEN 1 ELSE 0 END,
     CASE WHEN n.status = 'executing' THEN now() + $18 * interval '1 millisecond' END,
     CASE WHEN n.status = 'executing' THEN $19::text END,
     CASE WHEN n.status = 'failed' THEN 'failed' END,
     n.result_code, n.result_message,
     CASE WHEN n.status = 'failed' THEN now() END
   FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[],
     $8::text[], $9::text[], $10::bigint[], $11::text[], $12::timestamptz[], $13::text[], $14::text[],
     $15::text[], $16::text[], $17::int[])
     AS n(payment_order_id, payment_id, merchant_id, seller_id, amount_minor, currency, method_type,
       method_provider, instrument_token, platform_fee_minor, traceparent, requested_at, status, psp_id,
       result_code, result_message, position)
   ORDER BY n.position
   ON CONFLICT (payment_order_id) DO NOTHING
   RETURNING *`,
);

const FIND_ORDERS = preparedStatement(
  'executor_find_payment_orders',
  'SELECT * FROM payment_orders WHERE payment_order_id = ANY($1::text[])',
);

const LOCK_ORDERS = preparedStatement(
  'executor_lock_payment_orders',
  `SELECT * FROM payment_orders WHERE payment_order_id = ANY($1::text[])
   ORDER BY payment_order_id
   FOR UPDATE`,
);

const CLAIM_ORDERS = preparedStatement(
  'executor_claim_payment_orders',
  `UPDATE payment_orders o
   SET status = 'executing', psp_id = c.psp_id, attempts = o.attempts + 1,
       lease_expires_at = now() + $3 * interval '1 millisecond', lease_holder = $4::text, updated_at = now()
   FROM unnest($1::text[], $2::text[]) AS c(payment_order_id, psp_id)
   WHERE o.payment_order_id = c.payment_order_id AND o.status = 'created'
   RETURNING o.*`,
);

const START_CHARGE_ATTEMPTS = preparedStatement(
  'executor_start_charge_attempts',
  `INSERT INTO payment_order_attempts (payment_order_id, kind, psp_id, reason)
   SELECT a.payment_order_id, 'charge', a.psp_id, a.reason
   FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS a(payment_order_id, psp_id, reason, position)
   ORDER BY a.position
   RETURNING id, payment_order_id`,
);

// Only orders still `executing` after the attempts they were claimed with take the outcome; the
// rest moved on while the call ran and are not in the answer.
const APPLY_LOCKED_OUTCOMES = preparedStatement(
  'executor_apply_locked_outcomes',
  `UPDATE payment_orders o
   SET status = u.status, status_reason = u.status_reason,
       next_attempt_at = now() + u.delay_ms * interval '1 millisecond',
       psp_reference = COALESCE(u.psp_reference, o.psp_reference),
       result_code = COALESCE(u.result_code, o.result_code),
       result_message = COALESCE(u.result_message, o.result_message),
       lease_expires_at = NULL, lease_holder = NULL,
       completed_at = CASE WHEN u.completed THEN now() END,
       -- A new stretch in unknown starts its clock; staying unknown or leaving keeps the record.
       unknown_since = CASE WHEN u.status = 'unknown' AND o.status <> 'unknown' THEN now() ELSE o.unknown_since END,
       updated_at = now()
   FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::int[], $7::text[],
     $8::text[], $9::text[], $10::boolean[])
     AS u(payment_order_id, read_status, attempts, status, status_reason, delay_ms, psp_reference,
       result_code, result_message, completed)
   WHERE o.payment_order_id = u.payment_order_id AND o.status = u.read_status AND o.attempts = u.attempts
   RETURNING o.*`,
);

// An `abandoned` presumed when the lease ran out first is replaced by what came back.
const FINISH_ATTEMPTS = preparedStatement(
  'executor_finish_attempts',
  `UPDATE payment_order_attempts a
   SET outcome = f.outcome, psp_reference = f.psp_reference, error_code = f.error_code,
       error_message = f.error_message, duration_ms = f.duration_ms, finished_at = clock_timestamp()
   FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[])
     AS f(id, outcome, psp_reference, error_code, error_message, duration_ms)
   WHERE a.id = f.id AND (a.finished_at IS NULL OR a.outcome = 'abandoned')`,
);

function byOrderId<T extends { readonly paymentOrderId: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (a.paymentOrderId < b.paymentOrderId ? -1 : 1));
}

function statusOf(disposition: NewOrderDisposition): string {
  switch (disposition.kind) {
    case 'claim':
      return 'executing';
    case 'fail':
      return 'failed';
    case 'defer':
      return 'created';
    default: {
      const unreachable: never = disposition;
      return unreachable;
    }
  }
}

/**
 * The set-based SQL of payment_orders and payment_order_attempts: one statement for a whole chunk
 * or batch, never one per order. Rows are written and locked in payment order id order (attempts
 * after their orders), the order every other writer keeps, so concurrent batches never deadlock.
 */
@Injectable()
export class PaymentOrderBatchRepository {
  /** Stores the orders not stored yet, each as its disposition says; answers the stored ones. */
  async insertNew(
    manager: EntityManager,
    rows: readonly NewOrderRow[],
    lease: OrderLease,
  ): Promise<PaymentOrder[]> {
    const sorted = [...rows].sort((a, b) => (a.order.paymentOrderId < b.order.paymentOrderId ? -1 : 1));
    const column = <V>(read: (row: NewOrderRow) => V): V[] => sorted.map(read);
    const failure = (row: NewOrderRow): { code: string; message: string } | undefined =>
      row.disposition.kind === 'fail' ? row.disposition : undefined;
    const inserted = await runPrepared<PaymentOrderRow>(manager, INSERT_ORDERS, [
      column((row) => row.order.paymentOrderId),
      column((row) => row.order.paymentId),
      column((row) => row.order.merchantId),
      column((row) => row.order.sellerId),
      column((row) => row.order.amountMinor.toString()),
      column((row) => row.order.currency),
      column((row) => row.order.methodType),
      column((row) => row.order.methodProvider ?? null),
      column((row) => row.order.instrumentToken ?? null),
      column((row) => row.order.platformFeeMinor?.toString() ?? null),
      column((row) => row.order.traceparent ?? null),
      column((row) => row.order.requestedAt.toISOString()),
      column((row) => statusOf(row.disposition)),
      column((row) => (row.disposition.kind === 'claim' ? row.disposition.pspId : null)),
      column((row) => failure(row)?.code ?? null),
      column((row) => failure(row)?.message ?? null),
      sorted.map((_, index) => index),
      lease.durationMs,
      lease.holder ?? null,
    ]);
    return inserted.map(paymentOrderOf);
  }

  async findByIds(manager: EntityManager, paymentOrderIds: readonly string[]): Promise<PaymentOrder[]> {
    const rows = await runPrepared<PaymentOrderRow>(manager, FIND_ORDERS, [paymentOrderIds]);
    return rows.map(paymentOrderOf);
  }

  /** Locks the orders in id order for the rest of the transaction. */
  async lockByIds(manager: EntityManager, paymentOrderIds: readonly string[]): Promise<PaymentOrder[]> {
    const rows = await runPrepared<PaymentOrderRow>(manager, LOCK_ORDERS, [paymentOrderIds]);
    return rows.map(paymentOrderOf);
  }

  /** created → executing at the given PSPs, one more attempt each, under `lease`. */
  async claim(
    manager: EntityManager,
    claims: readonly { readonly paymentOrderId: string; readonly pspId: string }[],
    lease: OrderLease,
  ): Promise<PaymentOrder[]> {
    const sorted = byOrderId(claims);
    const rows = await runPrepared<PaymentOrderRow>(manager, CLAIM_ORDERS, [
      sorted.map((claim) => claim.paymentOrderId),
      sorted.map((claim) => claim.pspId),
      lease.durationMs,
      lease.holder ?? null,
    ]);
    return rows.map(paymentOrderOf);
  }

  /** One charge attempt per order, committed before its PSP call; answers the ids by order. */
  async startChargeAttempts(
    manager: EntityManager,
    starts: readonly ChargeAttemptStart[],
  ): Promise<Map<string, string>> {
    if (starts.length === 0) return new Map();
    const sorted = byOrderId(starts);
    const rows = await runPrepared<{ id: string; payment_order_id: string }>(manager, START_CHARGE_ATTEMPTS, [
      sorted.map((start) => start.paymentOrderId),
      sorted.map((start) => start.pspId),
      sorted.map((start) => start.reason),
    ]);
    return new Map(rows.map((row) => [row.payment_order_id, String(row.id)]));
  }

  /** Applies the decisions to orders still as they were read; answers the orders it changed. */
  async applyLockedOutcomes(
    manager: EntityManager,
    updates: readonly LockedOrderUpdate[],
  ): Promise<PaymentOrder[]> {
    if (updates.length === 0) return [];
    const sorted = byOrderId(updates);
    const rows = await runPrepared<PaymentOrderRow>(manager, APPLY_LOCKED_OUTCOMES, [
      sorted.map((each) => each.paymentOrderId),
      sorted.map((each) => each.status),
      sorted.map((each) => each.attempts),
      sorted.map((each) => each.update.status),
      sorted.map((each) => each.update.statusReason),
      sorted.map((each) => Math.round(each.update.nextAttemptDelayMs ?? 0)),
      sorted.map((each) => each.update.pspReference ?? null),
      sorted.map((each) => each.update.resultCode ?? null),
      sorted.map((each) => each.update.resultMessage ?? null),
      sorted.map((each) => each.update.completed),
    ]);
    return rows.map(paymentOrderOf);
  }

  /** Records what came back on each attempt, in attempt id order. */
  async finishAttempts(
    manager: EntityManager,
    finishes: readonly { readonly attemptId: string; readonly finish: AttemptFinish }[],
  ): Promise<void> {
    if (finishes.length === 0) return;
    const sorted = [...finishes].sort((a, b) => (BigInt(a.attemptId) < BigInt(b.attemptId) ? -1 : 1));
    await runPrepared(manager, FINISH_ATTEMPTS, [
      sorted.map((each) => each.attemptId),
      sorted.map((each) => each.finish.outcome),
      sorted.map((each) => each.finish.pspReference ?? null),
      sorted.map((each) => each.finish.errorCode ?? null),
      sorted.map((each) => each.finish.errorMessage?.slice(0, 500) ?? null),
      sorted.map((each) => Math.round(each.finish.durationMs)),
    ]);
  }
}
