import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PaymentEvent } from '@keel/payment-domain';
import { decodeEvent, encodeEvent } from './payment-event.codec';

interface EventRow {
  payment_id: string;
  type: string;
  data: Record<string, unknown>;
}

/**
 * SQL of the event store. Events are appended, never updated; UNIQUE (payment_id, version) turns a
 * concurrent append on the same version into a unique violation, which the caller retries.
 */
@Injectable()
export class PaymentEventRepository {
  /** The events of one payment in version order; empty when it does not exist. */
  async load(manager: EntityManager, paymentId: string): Promise<PaymentEvent[]> {
    const rows = (await manager.query(
      'SELECT payment_id, type, data FROM payment_events WHERE payment_id = $1 ORDER BY version',
      [paymentId],
    )) as EventRow[];
    return rows.map((row) => decodeEvent(row.type, row.data));
  }

  /** Appends after `expectedVersion`: the new events get versions expectedVersion + 1, + 2, … */
  async append(
    manager: EntityManager,
    paymentId: string,
    expectedVersion: number,
    events: readonly PaymentEvent[],
  ): Promise<void> {
    const stored = events.map(encodeEvent);
    await manager.query(
      `INSERT INTO payment_events (payment_id, version, type, data)
       SELECT $1, version, type, data
         FROM unnest($2::int[], $3::text[], $4::jsonb[]) AS appended (version, type, data)`,
      [
        paymentId,
        stored.map((_event, index) => expectedVersion + index + 1),
        stored.map((event) => event.type),
        stored.map((event) => JSON.stringify(event.data)),
      ],
    );
  }

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

  /** Events of several payments, grouped by payment, each group in version order. */
  async loadMany(
    manager: EntityManager,
    paymentIds: readonly string[],
  ): Promise<Map<string, PaymentEvent[]>> {
    const rows = (await manager.query(
      `SELECT payment_id, type, data FROM payment_events
        WHERE payment_id = ANY ($1::text[]) ORDER BY payment_id, version`,
      [paymentIds],
    )) as EventRow[];
    const byPayment = new Map<string, PaymentEvent[]>();
    for (const row of rows) {
      const events = byPayment.get(row.payment_id) ?? [];
      events.push(decodeEvent(row.type, row.data));
      byPayment.set(row.payment_id, events);
    }
    return byPayment;
  }
}
