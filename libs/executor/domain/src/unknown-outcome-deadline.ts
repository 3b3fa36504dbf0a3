import type { PaymentOrderStatus } from './payment-order-status';

/** What the overdue rule reads of an order. */
export interface UnknownOutcomeView {
  readonly status: PaymentOrderStatus;
  /** When the order last entered `unknown`. */
  readonly unknownSince?: Date;
  /** When it was reported overdue; an order is reported at most once. */
  readonly overdueReportedAt?: Date;
}

/**
 * True when an order has been `unknown` for at least `deadlineMs` and was never reported. Being
 * overdue changes nothing about its resolution: it is still asked about, never charged again.
 */
export function isUnknownOutcomeOverdue(order: UnknownOutcomeView, now: Date, deadlineMs: number): boolean {
  if (order.status !== 'unknown' || order.overdueReportedAt !== undefined) return false;
  if (order.unknownSince === undefined) return false;
  return now.getTime() - order.unknownSince.getTime() >= deadlineMs;
}
