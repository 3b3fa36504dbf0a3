import type {
  PaymentOrderRow,
  PaymentRecord,
  PaymentRow,
  StatusHistoryRow,
} from './payment-projection.repository';
import type {
  FailureView,
  PaymentOrderView,
  PaymentSummaryView,
  PaymentView,
  StatusChangeView,
} from './payment.view';

function failureOf(code: string | null, message: string | null): FailureView | null {
  return code === null ? null : { code, message: message ?? '' };
}

function iso(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

function orderView(order: PaymentOrderRow): PaymentOrderView {
  return {
    id: order.id,
    sellerId: order.seller_id,
    amount: { amountMinor: order.amount_minor, currency: order.currency },
    status: order.status,
    failure: failureOf(order.failure_code, order.failure_message),
    pspId: order.psp_id,
    pspReference: order.psp_reference,
    walletCreditedAt: iso(order.wallet_credited_at),
    ledgerRecordedAt: iso(order.ledger_recorded_at),
    createdAt: order.created_at.toISOString(),
    updatedAt: order.updated_at.toISOString(),
  };
}

function changeView(change: StatusHistoryRow): StatusChangeView {
  return {
    occurredAt: change.occurred_at.toISOString(),
    paymentOrderId: change.payment_order_id,
    status: change.status,
    reasonCode: change.reason_code,
  };
}

function paymentView(payment: PaymentRow, orders: readonly PaymentOrderRow[]): PaymentSummaryView {
  return {
    id: payment.id,
    checkoutId: payment.checkout_id,
    status: payment.status,
    amount: { amountMinor: payment.amount_minor, currency: payment.currency },
    buyer: { id: payment.buyer_id, email: payment.buyer_email, country: payment.buyer_country },
    paymentMethod: { type: payment.payment_method_type, provider: payment.payment_method_provider },
    failure: failureOf(payment.failure_code, payment.failure_message),
    orders: orders.map(orderView),
    createdAt: payment.created_at.toISOString(),
    updatedAt: payment.updated_at.toISOString(),
  };
}

/** The API's representation of a payment in a list: everything but the history. */
export function summaryViewOf(record: PaymentRecord): PaymentSummaryView {
  return paymentView(record.payment, record.orders);
}

/** The API's representation of one payment, with every status change. */
export function detailViewOf(record: PaymentRecord): PaymentView {
  return { ...paymentView(record.payment, record.orders), history: (record.history ?? []).map(changeView) };
}
