import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ORPHAN_CHARGE_REASONS, type OrphanChargeReason } from '@keel/executor-domain';

export type OrphanRefundStatus = 'pending' | 'refunded' | 'gave_up';

/** A charge a PSP holds for an order Keel gave up on (table orphan_charges). */
export interface OrphanCharge {
  readonly pspId: string;
  readonly paymentOrderId: string;
  readonly paymentId: string;
  readonly pspReference: string;
  /** What the PSP captured, and so what is refunded. */
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly reason: OrphanChargeReason;
  readonly detectedAt: Date;
  readonly refundStatus: OrphanRefundStatus;
  readonly refundRequestedAt?: Date;
  readonly refundedAt?: Date;
  readonly refundReference?: string;
  readonly attempts: number;
  readonly lastError?: string;
}

export type NewOrphanCharge = Pick<
  OrphanCharge,
  'pspId' | 'paymentOrderId' | 'paymentId' | 'pspReference' | 'amountMinor' | 'currency' | 'reason'
>;

interface OrphanChargeRow {
  psp_id: string;
  payment_order_id: string;
  payment_id: string;
  psp_reference: string;
  amount_minor: string;
  currency: string;
  reason: string;
  detected_at: Date;
  refund_status: OrphanRefundStatus;
  refund_requested_at: Date | null;
  refunded_at: Date | null;
  refund_reference: string | null;
  attempts: number;
  last_error: string | null;
}

function reasonOf(value: string): OrphanChargeReason {
  const reason = ORPHAN_CHARGE_REASONS.find((known) => known === value);
  if (reason === undefined) throw new Error(`orphan_charges.reason '${value}' is unknown`);
  return reason;
}

function orphanOf(row: OrphanChargeRow): OrphanCharge {
  return {
    pspId: row.psp_id,
    paymentOrderId: row.payment_order_id,
    paymentId: row.payment_id,
    pspReference: row.psp_reference,
    amountMinor: BigInt(row.amount_minor),
    currency: row.currency,
    reason: reasonOf(row.reason),
    detectedAt: row.detected_at,
    refundStatus: row.refund_status,
    refundRequestedAt: row.refund_requested_at ?? undefined,
    refundedAt: row.refunded_at ?? undefined,
    refundReference: row.refund_reference ?? undefined,
    attempts: row.attempts,
    lastError: row.last_error ?? undefined,
  };
}

// TypeORM answers an UPDATE ... RETURNING with [rows, affectedCount].
function updatedRows(result: unknown): OrphanChargeRow[] {
  return Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as OrphanChargeRow[]) : [];
}

/** The SQL of table orphan_charges; every method runs in the caller's transaction. */
@Injectable()
export class OrphanChargeRepository {
  /** Records a detection; undefined when this order's charge at this PSP is already known. */
  async insertIfAbsent(manager: EntityManager, orphan: NewOrphanCharge): Promise<OrphanCharge | undefined> {
    const rows = (await manager.query(
      `INSERT INTO orphan_charges (psp_id, payment_order_id, payment_id, psp_reference, amount_minor, currency,
         reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (psp_id, payment_order_id) DO NOTHING
       RETURNING *`,
      [
        orphan.pspId,
        orphan.paymentOrderId,
        orphan.paymentId,
        orphan.pspReference,
        orphan.amountMinor.toString(),
        orphan.currency,
        orphan.reason,
      ],
    )) as OrphanChargeRow[];
    return rows[0] === undefined ? undefined : orphanOf(rows[0]);
  }

  /**
   * Records several detections in one statement, in key order (so two writers lock in one order);
   * answers those newly recorded: a charge already known (same order, same PSP) is left as it is.
   */
  async insertManyIfAbsent(
    manager: EntityManager,
    orphans: readonly NewOrphanCharge[],
  ): Promise<OrphanCharge[]> {
    if (orphans.length === 0) return [];
    const rows = (await manager.query(
      `INSERT INTO orphan_charges (psp_id, payment_order_id, payment_id, psp_reference, amount_minor, currency,
         reason)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[])
         AS o(psp_id, payment_order_id, payment_id, psp_reference, amount_minor, currency, reason)
       ORDER BY o.psp_id COLLATE "C", o.payment_order_id COLLATE "C"
       ON CONFLICT (psp_id, payment_order_id) DO NOTHING
       RETURNING *`,
      [
        orphans.map((orphan) => orphan.pspId),
        orphans.map((orphan) => orphan.paymentOrderId),
        orphans.map((orphan) => orphan.paymentId),
        orphans.map((orphan) => orphan.pspReference),
        orphans.map((orphan) => orphan.amountMinor.toString()),
        orphans.map((orphan) => orphan.currency),
        orphans.map((orphan) => orphan.reason),
      ],
    )) as OrphanChargeRow[];
    return rows.map(orphanOf);
  }

  /**
   * Claims due pending refunds: one more attempt each, not due again for `leaseMs` unless
   * reported back first. SKIP LOCKED lets several executors share the work.
   */
  async claimDue(manager: EntityManager, limit: number, leaseMs: number): Promise<OrphanCharge[]> {
    const result = await manager.query(
      `UPDATE orphan_charges SET attempts = attempts + 1,
         refund_requested_at = COALESCE(refund_requested_at, clock_timestamp()),
         next_attempt_at = now() + $2 * interval '1 millisecond'
       WHERE (psp_id, payment_order_id) IN (
         SELECT psp_id, payment_order_id FROM orphan_charges
         WHERE refund_status = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [limit, leaseMs],
    );
    return updatedRows(result).map(orphanOf);
  }

  async lock(
    manager: EntityManager,
    pspId: string,
    paymentOrderId: string,
  ): Promise<OrphanCharge | undefined> {
    const rows = (await manager.query(
      'SELECT * FROM orphan_charges WHERE psp_id = $1 AND payment_order_id = $2 FOR UPDATE',
      [pspId, paymentOrderId],
    )) as OrphanChargeRow[];
    return rows[0] === undefined ? undefined : orphanOf(rows[0]);
  }

  async markRefunded(
    manager: EntityManager,
    orphan: OrphanCharge,
    refundReference: string,
  ): Promise<OrphanCharge> {
    const result = await manager.query(
      `UPDATE orphan_charges SET refund_status = 'refunded', refund_reference = $3,
         refunded_at = clock_timestamp(), last_error = NULL
       WHERE psp_id = $1 AND payment_order_id = $2 AND refund_status = 'pending'
       RETURNING *`,
      [orphan.pspId, orphan.paymentOrderId, refundReference],
    );
    const [row] = updatedRows(result);
    if (row === undefined) throw new Error(`orphan charge ${orphan.paymentOrderId} was not pending`);
    return orphanOf(row);
  }

  /** A failed request: due again after `delayMs`, or left to a person when `delayMs` is undefined. */
  async markFailed(
    manager: EntityManager,
    orphan: OrphanCharge,
    error: string,
    delayMs: number | undefined,
  ): Promise<void> {
    await manager.query(
      `UPDATE orphan_charges SET last_error = $3,
         refund_status = CASE WHEN $4::integer IS NULL THEN 'gave_up' ELSE 'pending' END,
         next_attempt_at = now() + COALESCE($4::integer, 0) * interval '1 millisecond'
       WHERE psp_id = $1 AND payment_order_id = $2 AND refund_status = 'pending'`,
      [orphan.pspId, orphan.paymentOrderId, error.slice(0, 500), delayMs ?? null],
    );
  }

  async findByOrder(manager: EntityManager, paymentOrderId: string): Promise<OrphanCharge[]> {
    const rows = (await manager.query(
      'SELECT * FROM orphan_charges WHERE payment_order_id = $1 ORDER BY detected_at',
      [paymentOrderId],
    )) as OrphanChargeRow[];
    return rows.map(orphanOf);
  }
}
