import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface BacklogCounts {
  /** Processing payments, counted up to the cap given. */
  readonly pendingPayments: number;
  readonly completedInWindow: number;
}

/** SQL of the backlog sampler, served by the partial indexes of IndexPaymentBacklog1763900400000. */
@Injectable()
export class PaymentBacklogRepository {
  async count(manager: EntityManager, pendingCap: number, windowMs: number): Promise<BacklogCounts> {
    // The pending count stops at the cap, so a huge backlog costs no more to sample than the limit.
    const rows = (await manager.query(
      `SELECT
         (SELECT count(*) FROM (SELECT 1 FROM payments WHERE status = 'processing' LIMIT $1) AS pending)::int
           AS pending,
         (SELECT count(*) FROM payments
           WHERE status <> 'processing' AND updated_at > now() - $2 * interval '1 millisecond')::int
           AS completed`,
      [pendingCap, windowMs],
    )) as { pending: number; completed: number }[];
    const row = rows[0];
    if (row === undefined) throw new Error('the backlog count returned no row');
    return { pendingPayments: row.pending, completedInWindow: row.completed };
  }
}
