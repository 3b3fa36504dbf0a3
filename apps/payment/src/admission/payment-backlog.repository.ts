import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecentChargeOutcomes } from '@keel/payment-domain';

export interface ChargeBacklogCounts {
  /** Payments with an order still waiting for its charge outcome, counted up to the cap given. */
  readonly pendingPayments: number;
  /** Age of the oldest order still waiting for its charge outcome; 0 when none waits. */
  readonly oldestPendingAgeMs: number;
  readonly recent: RecentChargeOutcomes;
}

export interface ChargeBacklogQuery {
  readonly pendingCap: number;
  readonly windowMs: number;
  readonly outcomesCap: number;
}

interface CountsRow {
  pending: number;
  oldest_pending_age_ms: number | null;
  outcomes: number;
  payments: number;
  oldest_age_ms: number | null;
}

/**
 * SQL of the backlog sampler, one statement served by the partial indexes of
 * IndexChargeBacklog1763900500000 and IndexOldestAwaitingCharge1763900600000. The pending side
 * reads the orders still awaiting an outcome (created, executing, unknown), counts them up to the
 * cap and takes the oldest one's age; the rate side reads the executor's outcome
 * events (OrderSucceeded, OrderDeclined, OrderFailed: a risk rejection is none of them) recorded
 * within the window, newest first, up to their cap. Both clocks are the database's: recorded_at is
 * the now() of the transaction that appended the event.
 */
@Injectable()
export class PaymentBacklogRepository {
  async count(manager: EntityManager, query: ChargeBacklogQuery): Promise<ChargeBacklogCounts> {
    const rows = (await manager.query(
      `SELECT
         (SELECT count(*) FROM (
            SELECT DISTINCT payment_id FROM payment_orders
             WHERE status IN ('created', 'executing', 'unknown') LIMIT $1) AS pending)::int AS pending,
         (SELECT extract(epoch FROM now() - min(created_at)) * 1000 FROM payment_orders
           WHERE status IN ('created', 'executing', 'unknown'))::float8 AS oldest_pending_age_ms,
         count(*)::int AS outcomes,
         count(DISTINCT latest.payment_id)::int AS payments,
         (extract(epoch FROM now() - min(latest.recorded_at)) * 1000)::float8 AS oldest_age_ms
       FROM (SELECT payment_id, recorded_at FROM payment_events
              WHERE type IN ('OrderSucceeded', 'OrderDeclined', 'OrderFailed')
                AND recorded_at > now() - $2 * interval '1 millisecond'
              ORDER BY recorded_at DESC LIMIT $3) AS latest`,
      [query.pendingCap, query.windowMs, query.outcomesCap],
    )) as CountsRow[];
    const row = rows[0];
    if (row === undefined) throw new Error('the charge backlog count returned no row');
    return {
      pendingPayments: row.pending,
      oldestPendingAgeMs: Math.max(0, row.oldest_pending_age_ms ?? 0),
      recent: {
        outcomes: row.outcomes,
        payments: row.payments,
        oldestAgeMs: row.oldest_age_ms ?? undefined,
      },
    };
  }
}
