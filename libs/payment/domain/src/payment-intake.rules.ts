import { isCurrencyCode, MAX_ABS_AMOUNT_MINOR } from '@keel/money';
import { PaymentError, PaymentErrorCode } from './payment.error';
import type { PaymentOrderLine } from './payment.event';

/** Contracts bound a payment's orders; intake may be configured lower, never higher. */
export const PAYMENT_ORDERS_MAX = 100;

function invalid(message: string): PaymentError {
  return new PaymentError(PaymentErrorCode.InvalidPayment, message);
}

/**
 * The rules every payment obeys from its first event on; checked when it is requested and again
 * when its events are folded, so a bad stream can never become a state.
 * Returns the payment's total in minor units.
 */
export function assertValidIntake(currency: string, orders: readonly PaymentOrderLine[]): bigint {
  if (!isCurrencyCode(currency)) throw invalid(`currency '${currency}' is not an ISO 4217 code`);
  if (orders.length === 0 || orders.length > PAYMENT_ORDERS_MAX) {
    throw invalid(`a payment holds 1 to ${PAYMENT_ORDERS_MAX} orders, got ${orders.length}`);
  }
  const orderIds = new Set(orders.map((order) => order.paymentOrderId));
  if (orderIds.size !== orders.length) throw invalid('payment order ids must be unique');
  const sellerIds = new Set(orders.map((order) => order.sellerId));
  if (sellerIds.size !== orders.length) throw invalid('a payment holds one order per seller');
  let totalMinor = 0n;
  for (const order of orders) {
    if (order.amountMinor <= 0n)
      throw invalid(`order ${order.paymentOrderId} must have an amount above zero`);
    const fee = order.platformFeeMinor;
    if (fee !== undefined && (fee < 0n || fee >= order.amountMinor))
      throw invalid(`order ${order.paymentOrderId} has a platform fee outside 0 ≤ fee < amount`);
    totalMinor += order.amountMinor;
  }
  if (totalMinor > MAX_ABS_AMOUNT_MINOR) {
    throw invalid(`the payment total exceeds ${MAX_ABS_AMOUNT_MINOR} minor units`);
  }
  return totalMinor;
}
