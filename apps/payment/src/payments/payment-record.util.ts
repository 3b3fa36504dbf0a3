import {
  providerOf,
  type PaymentOrderState,
  type PaymentState,
  type StatusChange,
} from '@keel/payment-domain';
import type {
  PaymentOrderRow,
  PaymentRecord,
  PaymentRow,
  StatusHistoryRow,
} from './payment-projection.repository';

function dateOrNull(iso: string | undefined): Date | null {
  return iso === undefined ? null : new Date(iso);
}

function paymentRowOf(state: PaymentState): PaymentRow {
  return {
    id: state.id,
    merchant_id: state.merchantId,
    checkout_id: state.checkoutId,
    buyer_id: state.buyer.id,
    buyer_email: state.buyer.email ?? null,
    buyer_country: state.buyer.country ?? null,
    payment_method_type: state.paymentMethod.type,
    payment_method_provider: providerOf(state.paymentMethod),
    currency: state.currency,
    amount_minor: state.amountMinor.toString(),
    status: state.status,
    failure_code: state.failure?.code ?? null,
    failure_message: state.failure?.message ?? null,
    created_at: new Date(state.createdAt),
    updated_at: new Date(state.updatedAt),
  };
}

function orderRowsOf(state: PaymentState): PaymentOrderRow[] {
  return state.orders.map((order) => ({
    id: order.id,
    payment_id: state.id,
    seller_id: order.sellerId,
    currency: state.currency,
    amount_minor: order.amountMinor.toString(),
    status: order.status,
    psp_id: order.charge?.pspId ?? null,
    psp_reference: order.charge?.pspReference ?? null,
    failure_code: order.failure?.code ?? null,
    failure_message: order.failure?.message ?? null,
    wallet_credited_at: dateOrNull(order.walletCreditedAt),
    ledger_transaction_id: order.ledgerTransactionId ?? null,
    ledger_recorded_at: dateOrNull(order.ledgerRecordedAt),
    created_at: new Date(order.createdAt),
    updated_at: new Date(order.updatedAt),
  }));
}

function historyRowsOf(state: PaymentState): StatusHistoryRow[] {
  return state.history.map((change) => ({
    payment_order_id: change.paymentOrderId ?? null,
    status: change.status,
    reason_code: change.reasonCode ?? null,
    occurred_at: new Date(change.occurredAt),
  }));
}

/**
 * The projection rows of a folded state, exactly as the projection tables hold them once it is
 * stored: the accept path writes these rows and answers from them, so the answer needs no read-back
 * and equals what GET returns. Orders keep the state's order (their position), history its
 * (version, ordinal) order.
 */
export function paymentRecordOf(state: PaymentState): Required<PaymentRecord> {
  return { payment: paymentRowOf(state), orders: orderRowsOf(state), history: historyRowsOf(state) };
}

/** The columns of a status history insert from `unnest`, after payment_id, in table order. */
export function statusHistoryColumns(history: readonly StatusChange[]): unknown[] {
  return [
    history.map((change) => change.version),
    history.map((change) => change.ordinal),
    history.map((change) => change.paymentOrderId ?? null),
    history.map((change) => change.status),
    history.map((change) => change.reasonCode ?? null),
    history.map((change) => change.occurredAt),
  ];
}

/** The columns an order's progress changes, status to ledger record, in table order. */
export function orderProgressColumns(orders: readonly PaymentOrderState[]): unknown[] {
  return [
    orders.map((order) => order.status),
    orders.map((order) => order.charge?.pspId ?? null),
    orders.map((order) => order.charge?.pspReference ?? null),
    orders.map((order) => order.failure?.code ?? null),
    orders.map((order) => order.failure?.message ?? null),
    orders.map((order) => order.walletCreditedAt ?? null),
    orders.map((order) => order.ledgerTransactionId ?? null),
    orders.map((order) => order.ledgerRecordedAt ?? null),
  ];
}
