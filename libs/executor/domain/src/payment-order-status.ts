/**
 * The life of a payment order in the executor. `unknown` means a charge may have reached the PSP
 * and its outcome is being resolved by inquiry; it is never a resting place.
 */
export const PAYMENT_ORDER_STATUSES = [
  'created',
  'executing',
  'unknown',
  'succeeded',
  'declined',
  'failed',
] as const;
export type PaymentOrderStatus = (typeof PAYMENT_ORDER_STATUSES)[number];

export const TERMINAL_PAYMENT_ORDER_STATUSES = ['succeeded', 'declined', 'failed'] as const;
export type TerminalPaymentOrderStatus = (typeof TERMINAL_PAYMENT_ORDER_STATUSES)[number];

export function isPaymentOrderStatus(value: string): value is PaymentOrderStatus {
  return (PAYMENT_ORDER_STATUSES as readonly string[]).includes(value);
}

export function isTerminalPaymentOrderStatus(
  status: PaymentOrderStatus,
): status is TerminalPaymentOrderStatus {
  return (TERMINAL_PAYMENT_ORDER_STATUSES as readonly string[]).includes(status);
}
