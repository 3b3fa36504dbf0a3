import { PaymentOrderError, PaymentOrderErrorCode } from './payment-order.error';
import type { PaymentOrderStatus } from './payment-order-status';

/** What can happen to a payment order; the transition table says where each leads. */
export const PAYMENT_ORDER_EVENTS = [
  /** A worker took the order to charge it. */
  'claimed',
  /** The PSP certainly did not charge (unavailable, or inquiry found nothing): charge again later, same key. */
  'retry_scheduled',
  /** A charge may have reached the PSP and we do not know its result (timeout, 5xx, pending, lease expired). */
  'outcome_unknown',
  'succeeded',
  'declined',
  /** Known not to be charged and not to be tried again. */
  'failed',
] as const;
export type PaymentOrderEvent = (typeof PAYMENT_ORDER_EVENTS)[number];

// Terminal statuses have no way out, so an outcome can never be overwritten by a later one.
// `unknown` leads back to `created` only when an inquiry proved the PSP holds no charge.
const TRANSITIONS: Readonly<
  Record<PaymentOrderStatus, Readonly<Partial<Record<PaymentOrderEvent, PaymentOrderStatus>>>>
> = {
  created: { claimed: 'executing', failed: 'failed' },
  executing: {
    retry_scheduled: 'created',
    outcome_unknown: 'unknown',
    succeeded: 'succeeded',
    declined: 'declined',
    failed: 'failed',
  },
  unknown: { retry_scheduled: 'created', succeeded: 'succeeded', declined: 'declined', failed: 'failed' },
  succeeded: {},
  declined: {},
  failed: {},
};

/** The status an event leads to; throws PaymentOrderError for a move the life cycle forbids. */
export function transitionPaymentOrder(
  from: PaymentOrderStatus,
  event: PaymentOrderEvent,
): PaymentOrderStatus {
  const to = TRANSITIONS[from][event];
  if (to === undefined) {
    throw new PaymentOrderError(
      PaymentOrderErrorCode.IllegalTransition,
      `A payment order in '${from}' cannot take '${event}'`,
    );
  }
  return to;
}

export function canTransitionPaymentOrder(from: PaymentOrderStatus, event: PaymentOrderEvent): boolean {
  return TRANSITIONS[from][event] !== undefined;
}
