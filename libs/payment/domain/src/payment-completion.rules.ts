import type { Failure } from './payment.event';
import { isTerminalOrderStatus } from './payment-status';
import { isConfirmed, type PaymentState } from './payment.state';

/** Payment-level failure code when every order was declined by the PSPs. */
export const ALL_ORDERS_DECLINED_CODE = 'declined';
/** Payment-level failure code when no order was charged and at least one failed technically. */
export const NO_ORDER_CHARGED_CODE = 'payment_orders_failed';

export type CompletionOutcome =
  | { readonly status: 'completed' }
  | { readonly status: 'partially_failed' }
  | { readonly status: 'failed'; readonly failure: Failure };

/**
 * The terminal status the payment's orders call for, or undefined while it must wait:
 * - failed: the risk check rejected it, or every order ended and none was charged;
 * - completed: every order was charged and each charge is confirmed by wallet AND ledger;
 * - partially_failed: every order ended, some were charged (all of those confirmed), some not.
 * Confirmations may come before the outcome they confirm, so this is asked after every event.
 */
export function evaluateCompletion(state: PaymentState): CompletionOutcome | undefined {
  if (state.riskRejection !== undefined) {
    return {
      status: 'failed',
      failure: { code: state.riskRejection.reason, message: state.riskRejection.detail },
    };
  }
  if (!state.orders.every((order) => isTerminalOrderStatus(order.status))) return undefined;
  const charged = state.orders.filter((order) => order.status === 'succeeded');
  if (charged.length === 0) {
    const allDeclined = state.orders.every((order) => order.status === 'declined');
    return {
      status: 'failed',
      failure: allDeclined
        ? { code: ALL_ORDERS_DECLINED_CODE, message: 'Every payment order was declined.' }
        : { code: NO_ORDER_CHARGED_CODE, message: 'No payment order could be charged.' },
    };
  }
  if (!charged.every(isConfirmed)) return undefined;
  return charged.length === state.orders.length ? { status: 'completed' } : { status: 'partially_failed' };
}
