import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedStatement, runPrepared } from '@keel/database';
import { outboxAppendCte } from '@keel/messaging';
import type { NewPayment, PaymentState } from '@keel/payment-domain';
import type { KeyScope, StoredResponse } from '../idempotency/idempotency.repository';
import { encodeEvent } from './payment-event.codec';
import type { PaymentOrderRow, PaymentRow } from './payment-projection.repository';
import { paymentRecordOf, statusHistoryColumns } from './payment-record.util';

/**
 * A new payment's whole write in one round trip: its event stream from version 1, its projection
 * rows, the answer stored on the Idempotency-Key that the same transaction claimed, and its
 * integration events in the outbox. The rows are those of paymentRecordOf(), so the stored payment
 * is exactly the one answered. payments_merchant_id_checkout_id_key refuses a checkout that
 * already has a payment.
 */
const INSERT_NEW_PAYMENT = preparedStatement(
  'payment_insert_new_payment',
  `WITH appended AS (
     INSERT INTO payment_events (payment_id, version, type, data)
     SELECT $1, e.version, e.type, e.data
       FROM unnest($2::int[], $3::text[], $4::jsonb[]) AS e (version, type, data)
   ),
   payment AS (
     INSERT INTO payments (id, merchant_id, checkout_id, buyer_id, buyer_email, buyer_country,
       payment_method_type, payment_method_provider, currency, amount_minor, status, failure_code,
       failure_message, version, created_at, updated_at)
     VALUES ($1, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
     RETURNING id
   ),
   orders AS (
     INSERT INTO payment_orders (id, payment_id, merchant_id, currency, position, seller_id, amount_minor,
       status, psp_id, psp_reference, failure_code, failure_message, wallet_credited_at,
       ledger_transaction_id, ledger_recorded_at, created_at, updated_at)
     SELECT o.id, payment.id, $5, $12, o.position - 1, o.seller_id, o.amount_minor, o.status, o.psp_id,
            o.psp_reference, o.failure_code, o.failure_message, o.wallet_credited_at,
            o.ledger_transaction_id, o.ledger_recorded_at, o.created_at, o.updated_at
       FROM payment,
            unnest($20::text[], $21::text[], $22::bigint[], $23::text[], $24::text[], $25::text[],
                   $26::text[], $27::text[], $28::timestamptz[], $29::text[], $30::timestamptz[],
                   $31::timestamptz[], $32::timestamptz[]) WITH ORDINALITY
         AS o (id, seller_id, amount_minor, status, psp_id, psp_reference, failure_code, failure_message,
               wallet_credited_at, ledger_transaction_id, ledger_recorded_at, created_at, updated_at,
               position)
   ),
   history AS (
     INSERT INTO payment_status_history
       (payment_id, version, ordinal, payment_order_id, status, reason_code, occurred_at)
     SELECT payment.id, h.*
       FROM payment,
            unnest($33::int[], $34::int[], $35::text[], $36::text[], $37::text[], $38::timestamptz[])
         AS h (version, ordinal, payment_order_id, status, reason_code, occurred_at)
   ),
   answered AS (
     UPDATE idempotency_keys
        SET response_status = $41, response_headers = $42, response_body = $43, completed_at = now()
      WHERE merchant_id = $5 AND idempotency_key = $39 AND claim_token = $40 AND completed_at IS NULL
      RETURNING 1
   ),
   ${outboxAppendCte(44)}
   SELECT count(*)::int AS answered FROM answered`,
);

/** The key, its claim and the answer to store on it. */
export interface KeyAnswer {
  readonly scope: KeyScope;
  readonly claimToken: string;
  readonly response: StoredResponse;
}

/** SQL of the accept path that spans the event store, the projections and the idempotency keys. */
@Injectable()
export class PaymentIntakeRepository {
  /**
   * Stores a payment decided from no state; throws if the key's claim is not this transaction's.
   * `outboxParameters`: OutboxPublisher.parametersFor its integration events.
   */
  async insertNewPayment(
    manager: EntityManager,
    payment: NewPayment,
    answer: KeyAnswer,
    outboxParameters: readonly unknown[],
  ): Promise<void> {
    const { state } = payment;
    if (answer.scope.merchantId !== state.merchantId) {
      throw new Error(`payment ${state.id} answered on a key of another merchant`);
    }
    const record = paymentRecordOf(state);
    const [row] = await runPrepared<{ answered: number }>(manager, INSERT_NEW_PAYMENT, [
      ...eventValues(payment),
      ...paymentValues(state, record.payment),
      ...orderValues(record.orders),
      ...statusHistoryColumns(state.history),
      answer.scope.key,
      answer.claimToken,
      answer.response.status,
      JSON.stringify(answer.response.headers),
      answer.response.body,
      ...outboxParameters,
    ]);
    if (row?.answered !== 1) {
      throw new Error(
        `the claim on an idempotency key of merchant ${state.merchantId} was lost before its answer`,
      );
    }
  }
}

/** $1–$4: the id and the stream, versions 1…n. */
function eventValues({ state, events }: NewPayment): unknown[] {
  const stored = events.map(encodeEvent);
  return [
    state.id,
    stored.map((_event, index) => index + 1),
    stored.map((event) => event.type),
    stored.map((event) => JSON.stringify(event.data)),
  ];
}

/** $5–$19: the payments row. */
function paymentValues(state: PaymentState, payment: PaymentRow): unknown[] {
  return [
    payment.merchant_id,
    payment.checkout_id,
    payment.buyer_id,
    payment.buyer_email,
    payment.buyer_country,
    payment.payment_method_type,
    payment.payment_method_provider,
    payment.currency,
    payment.amount_minor,
    payment.status,
    payment.failure_code,
    payment.failure_message,
    state.version,
    payment.created_at,
    payment.updated_at,
  ];
}

/** $20–$32: the payment_orders rows, column by column, in position order. */
function orderValues(orders: readonly PaymentOrderRow[]): unknown[] {
  return [
    orders.map((order) => order.id),
    orders.map((order) => order.seller_id),
    orders.map((order) => order.amount_minor),
    orders.map((order) => order.status),
    orders.map((order) => order.psp_id),
    orders.map((order) => order.psp_reference),
    orders.map((order) => order.failure_code),
    orders.map((order) => order.failure_message),
    orders.map((order) => order.wallet_credited_at),
    orders.map((order) => order.ledger_transaction_id),
    orders.map((order) => order.ledger_recorded_at),
    orders.map((order) => order.created_at),
    orders.map((order) => order.updated_at),
  ];
}

/** $33–$38: the payment_status_history rows. */
