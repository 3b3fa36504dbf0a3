/** A payment is processing until every order has an outcome (and every charge is confirmed). */
export const PAYMENT_STATUSES = ['processing', 'completed', 'partially_failed', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * An order is `created` at intake and `executing` once the executor is asked to charge it.
 * `unknown` means the executor sent a charge and does not yet know whether it happened.
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

const TERMINAL_ORDER_STATUSES: ReadonlySet<PaymentOrderStatus> = new Set(['succeeded', 'declined', 'failed']);

export function isTerminalOrderStatus(status: PaymentOrderStatus): boolean {
  return TERMINAL_ORDER_STATUSES.has(status);
}

export function isTerminalPaymentStatus(status: PaymentStatus): boolean {
  return status !== 'processing';
}
