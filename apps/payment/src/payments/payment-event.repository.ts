import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedStatement, runPrepared } from '@keel/database';
import type { PaymentEvent } from '@keel/payment-domain';
import { decodeEvent } from './payment-event.codec';

interface EventRow {
  payment_id: string;
  type: string;
  data: Record<string, unknown>;
}

const LOAD_STREAMS = preparedStatement(
  'payment_load_streams',
  `SELECT payment_id, type, data FROM payment_events
    WHERE payment_id = ANY ($1::text[]) ORDER BY payment_id, version`,
);

/**
 * SQL of the event store. Events are appended, never updated; UNIQUE (payment_id, version) turns an
 * append on a version someone else already wrote into a unique violation instead of a fork.
 */
@Injectable()
export class PaymentEventRepository {
  /** Ids of stored payments after `afterPaymentId`, in id order: the rebuilder's keyset pages. */
  async paymentIdsAfter(manager: EntityManager, afterPaymentId: string, limit: number): Promise<string[]> {
    const rows = (await manager.query(
      `SELECT payment_id FROM payment_events
        WHERE version = 1 AND payment_id > $1
        ORDER BY payment_id LIMIT $2`,
      [afterPaymentId, limit],
    )) as { payment_id: string }[];
    return rows.map((row) => row.payment_id);
  }

  /**
   * Events of several payments, grouped by payment, each group in version order; a payment without
   * events has no entry. Needs a transaction (`manager` inside one).
   */
  async loadMany(
    manager: EntityManager,
    paymentIds: readonly string[],
  ): Promise<Map<string, PaymentEvent[]>> {
    const rows = await runPrepared<EventRow>(manager, LOAD_STREAMS, [paymentIds]);
    const byPayment = new Map<string, PaymentEvent[]>();
    for (const row of rows) {
      const events = byPayment.get(row.payment_id) ?? [];
      events.push(decodeEvent(row.type, row.data));
      byPayment.set(row.payment_id, events);
    }
    return byPayment;
  }
}
