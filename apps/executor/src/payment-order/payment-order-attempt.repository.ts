import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  PAYMENT_ORDER_ATTEMPT_KINDS,
  type PaymentOrderAttempt,
  type PaymentOrderAttemptKind,
} from './payment-order.record';

interface PaymentOrderAttemptRow {
  id: string;
  kind: string;
  psp_id: string;
  reason: string;
  outcome: string | null;
  psp_reference: string | null;
  error_code: string | null;
  error_message: string | null;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
}

export interface AttemptStart {
  readonly paymentOrderId: string;
  readonly kind: PaymentOrderAttemptKind;
  readonly pspId: string;
  readonly reason: string;
}

export interface AttemptFinish {
  readonly outcome: string;
  readonly pspReference?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** Measured around the PSP call itself. */
  readonly durationMs: number;
}

function kindOf(value: string): PaymentOrderAttemptKind {
  const kind = PAYMENT_ORDER_ATTEMPT_KINDS.find((known) => known === value);
  if (kind === undefined) throw new Error(`payment_order_attempts.kind '${value}' is unknown`);
  return kind;
}

function attemptOf(row: PaymentOrderAttemptRow): PaymentOrderAttempt {
  return {
    id: row.id,
    kind: kindOf(row.kind),
    pspId: row.psp_id,
    reason: row.reason,
    outcome: row.outcome ?? undefined,
    pspReference: row.psp_reference ?? undefined,
    errorCode: row.error_code ?? undefined,
    errorMessage: row.error_message ?? undefined,
    startedAt: row.started_at,
    finishedAt: row.finished_at ?? undefined,
    durationMs: row.duration_ms ?? undefined,
  };
}

/**
 * The SQL of table payment_order_attempts. An attempt row is written in the transaction that
 * claims the order, before the PSP is called, so that a crash mid-call still leaves its trace.
 */
@Injectable()
export class PaymentOrderAttemptRepository {
  async start(manager: EntityManager, attempt: AttemptStart): Promise<string> {
    const [row] = (await manager.query(
      `INSERT INTO payment_order_attempts (payment_order_id, kind, psp_id, reason)
       VALUES ($1, $2, $3, $4)
       RETURNING id`,
      [attempt.paymentOrderId, attempt.kind, attempt.pspId, attempt.reason],
    )) as { id: string }[];
    if (row === undefined) throw new Error('payment_order_attempts insert returned no id');
    return row.id;
  }

  /** Records what came back; it replaces an `abandoned` presumed when the lease ran out first. */
  async finish(manager: EntityManager, attemptId: string, finish: AttemptFinish): Promise<void> {
    await manager.query(
      `UPDATE payment_order_attempts
       SET outcome = $2, psp_reference = $3, error_code = $4, error_message = $5,
           duration_ms = $6, finished_at = clock_timestamp()
       WHERE id = $1 AND (finished_at IS NULL OR outcome = 'abandoned')`,
      [
        attemptId,
        finish.outcome,
        finish.pspReference ?? null,
        finish.errorCode ?? null,
        finish.errorMessage?.slice(0, 500) ?? null,
        Math.round(finish.durationMs),
      ],
    );
  }

  /** Closes the attempts of an order whose call never reported back (its process stopped). */
  async abandonOpen(manager: EntityManager, paymentOrderId: string, message: string): Promise<void> {
    await manager.query(
      `UPDATE payment_order_attempts
       SET outcome = 'abandoned', error_message = $2, finished_at = clock_timestamp()
       WHERE payment_order_id = $1 AND finished_at IS NULL`,
      [paymentOrderId, message],
    );
  }

  /** The order's attempts, oldest first, at most `limit`. */
  async listForOrder(
    manager: EntityManager,
    paymentOrderId: string,
    limit: number,
  ): Promise<PaymentOrderAttempt[]> {
    const rows = (await manager.query(
      `SELECT id, kind, psp_id, reason, outcome, psp_reference, error_code, error_message,
              started_at, finished_at, duration_ms
       FROM payment_order_attempts
       WHERE payment_order_id = $1
       ORDER BY id
       LIMIT $2`,
      [paymentOrderId, limit],
    )) as PaymentOrderAttemptRow[];
    return rows.map(attemptOf);
  }
}
