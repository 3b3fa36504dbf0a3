import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedStatement, runPrepared } from '@keel/database';
import { outboxAppendCte } from '@keel/messaging';
import type { PaymentEvent, PaymentOrderState, PaymentState } from '@keel/payment-domain';
import { encodeEvent } from '../payments/payment-event.codec';
import { orderProgressColumns, statusHistoryColumns } from '../payments/payment-record.util';

/** What a chunk writes of one stored payment: its new events, its state, and the orders they touched. */
export interface PaymentWrite {
  readonly state: PaymentState;
  /** The version before the new events: they are stored from the next one, and history after it is new. */
  readonly sinceVersion: number;
  readonly events: readonly PaymentEvent[];
  readonly changedOrders: readonly PaymentOrderState[];
}

/**
 * Everything a saga chunk writes, in one round trip: the new events of every payment it changed,
 * their payments, touched orders and new history, and the outbox rows. UNIQUE (payment_id, version)
 * turns an append on a version someone else wrote into a unique violation instead of a fork.
 */
const WRITE_CHANGES = preparedStatement(
  'payment_saga_write_changes',
  `WITH appended AS (
     INSERT INTO payment_events (payment_id, version, type, data)
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::jsonb[])
   ),
   payments_updated AS (
     UPDATE payments AS p
        SET status = u.status, failure_code = u.failure_code, failure_message = u.failure_message,
            version = u.version, updated_at = u.updated_at
       FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::timestamptz[])
         AS u (id, status, failure_code, failure_message, version, updated_at)
      WHERE p.id = u.id
   ),
   orders_updated AS (
     UPDATE payment_orders AS o
        SET status = u.status, psp_id = u.psp_id, psp_reference = u.psp_reference,
            failure_code = u.failure_code, failure_message = u.failure_message,
            wallet_credited_at = u.wallet_credited_at, ledger_transaction_id = u.ledger_transaction_id,
            ledger_recorded_at = u.ledger_recorded_at, updated_at = u.updated_at
       FROM unnest($11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
                   $17::timestamptz[], $18::text[], $19::timestamptz[], $20::timestamptz[])
         AS u (id, status, psp_id, psp_reference, failure_code, failure_message, wallet_credited_at,
               ledger_transaction_id, ledger_recorded_at, updated_at)
      WHERE o.id = u.id
   ),
   history AS (
     INSERT INTO payment_status_history
       (payment_id, version, ordinal, payment_order_id, status, reason_code, occurred_at)
     SELECT * FROM unnest($21::text[], $22::int[], $23::int[], $24::text[], $25::text[], $26::text[],
                          $27::timestamptz[])
   ),
   ${outboxAppendCte(28)}
   SELECT 1`,
);

/** SQL of the saga's write; the rows of its payments are locked by the caller. */
@Injectable()
export class PaymentSagaRepository {
  /** `outboxParameters`: OutboxPublisher.parametersFor the chunk's integration events. */
  async writeChanges(
    manager: EntityManager,
    changes: readonly PaymentWrite[],
    outboxParameters: readonly unknown[],
  ): Promise<void> {
    await runPrepared(manager, WRITE_CHANGES, [
      ...eventColumns(changes),
      ...paymentColumns(changes.map((change) => change.state)),
      ...orderColumns(changes.flatMap((change) => change.changedOrders)),
      ...historyColumns(changes),
      ...outboxParameters,
    ]);
  }
}

/** $1–$4: the new events, versions after each payment's `sinceVersion`. */
function eventColumns(changes: readonly PaymentWrite[]): unknown[] {
  const stored = changes.flatMap((change) =>
    change.events.map((event, index) => ({
      paymentId: change.state.id,
      version: change.sinceVersion + index + 1,
      ...encodeEvent(event),
    })),
  );
  return [
    stored.map((event) => event.paymentId),
    stored.map((event) => event.version),
    stored.map((event) => event.type),
    stored.map((event) => JSON.stringify(event.data)),
  ];
}

/** $5–$10: what the payments row keeps of the state. */
function paymentColumns(states: readonly PaymentState[]): unknown[] {
  return [
    states.map((state) => state.id),
    states.map((state) => state.status),
    states.map((state) => state.failure?.code ?? null),
    states.map((state) => state.failure?.message ?? null),
    states.map((state) => state.version),
    states.map((state) => state.updatedAt),
  ];
}

/** $11–$20: the touched orders' progress. */
function orderColumns(orders: readonly PaymentOrderState[]): unknown[] {
  return [
    orders.map((order) => order.id),
    ...orderProgressColumns(orders),
    orders.map((order) => order.updatedAt),
  ];
}

/** $21–$27: the history after each payment's `sinceVersion`. */
function historyColumns(changes: readonly PaymentWrite[]): unknown[] {
  const history = changes.flatMap((change) =>
    change.state.history
      .filter((entry) => entry.version > change.sinceVersion)
      .map((entry) => ({ paymentId: change.state.id, ...entry })),
  );
  return [history.map((entry) => entry.paymentId), ...statusHistoryColumns(history)];
}
