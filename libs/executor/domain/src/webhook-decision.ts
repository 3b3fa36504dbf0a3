import type { ChargeAmount } from './capture-check';
import { decideOnSuccess, type ExecutionDecision } from './execution-decision';
import type { ChargeResult } from './execution-result';
import type { PaymentOrderStatus } from './payment-order-status';

/**
 * What a verified PSP notification says, as the rules need to see it: the connectors'
 * PspWebhookEvent is one.
 */
export interface WebhookNotice {
  readonly pspId: string;
  readonly pspReference: string;
  /** A charge reached an outcome, or (part of) it was refunded or cancelled. */
  readonly change:
    | {
        readonly kind: 'charge';
        readonly outcome: Extract<ChargeResult, { kind: 'succeeded' | 'declined' | 'pending' | 'cancelled' }>;
      }
    | { readonly kind: 'refunded' };
}

/** What a webhook needs to know about the order it names: where it stands and what it is for. */
export interface WebhookOrderView extends ChargeAmount {
  readonly status: PaymentOrderStatus;
  readonly pspId?: string;
  readonly pspReference?: string;
}

export type WebhookAction =
  /** The PSP settled the charge the order is waiting for: the normal outcome, with its event. */
  | { readonly kind: 'apply'; readonly decision: Extract<ExecutionDecision, { kind: 'succeed' | 'decline' }> }
  /**
   * The PSP says it captured another amount or currency than the order's: the order fails and
   * the charge is refused (refunded as an orphan charge); nothing credits or posts it.
   */
  | { readonly kind: 'amount_mismatch'; readonly decision: Extract<ExecutionDecision, { kind: 'fail' }> }
  /** The PSP holds money for an order Keel gave up on (or a second charge): refund what it captured. */
  | { readonly kind: 'orphan'; readonly captured: ChargeAmount }
  /** Nothing to change: recorded and answered 200, with the reason logged. */
  | { readonly kind: 'ignore'; readonly reason: string }
  /** No such order here; recorded, answered 200, logged for a person. */
  | { readonly kind: 'unknown_order' };

const AWAITING_OUTCOME: readonly PaymentOrderStatus[] = ['executing', 'unknown'];

/**
 * True when a successful charge at `pspId` is money Keel will not keep: the order ended without
 * a charge (failed, declined), or it succeeded through another charge.
 */
export function isOrphanCharge(
  order: Pick<WebhookOrderView, 'status' | 'pspId' | 'pspReference'>,
  pspId: string,
  pspReference: string,
): boolean {
  if (order.status === 'failed' || order.status === 'declined') return true;
  if (order.status !== 'succeeded') return false;
  return order.pspId !== pspId || order.pspReference !== pspReference;
}

function onSucceeded(
  order: WebhookOrderView,
  event: WebhookNotice,
  success: Extract<ChargeResult, { kind: 'succeeded' }>,
): WebhookAction {
  if (isOrphanCharge(order, event.pspId, event.pspReference)) {
    return { kind: 'orphan', captured: success.captured };
  }
  if (order.status === 'succeeded') return { kind: 'ignore', reason: 'already succeeded with this charge' };
  if (order.pspId === event.pspId && AWAITING_OUTCOME.includes(order.status)) {
    const decision = decideOnSuccess(order, { ...success, pspReference: event.pspReference }, 'webhook');
    return decision.kind === 'succeed' ? { kind: 'apply', decision } : { kind: 'amount_mismatch', decision };
  }
  // `created`: the worker charges again with the same key and gets this very charge back.
  return { kind: 'ignore', reason: `order is ${order.status} at ${order.pspId ?? 'no PSP'}` };
}

/**
 * What a verified webhook does to its order. Terminal orders never move (an out-of-order
 * decline after a success is ignored), only an order waiting for this PSP's answer takes it, and
 * a success only for the order's exact amount and currency. A webhook for an order this executor
 * does not hold changes nothing.
 */
export function decideOnWebhook(order: WebhookOrderView | undefined, event: WebhookNotice): WebhookAction {
  if (order === undefined) return { kind: 'unknown_order' };
  if (event.change.kind === 'refunded') return { kind: 'ignore', reason: 'refund notification' };
  const { outcome } = event.change;
  switch (outcome.kind) {
    case 'succeeded':
      return onSucceeded(order, event, outcome);
    case 'declined':
      if (order.pspId === event.pspId && AWAITING_OUTCOME.includes(order.status)) {
        const decision = { kind: 'decline', code: outcome.code, message: outcome.message } as const;
        return { kind: 'apply', decision: { ...decision, pspReference: event.pspReference } };
      }
      return { kind: 'ignore', reason: `decline for an order in ${order.status}` };
    case 'pending':
    case 'cancelled':
      return { kind: 'ignore', reason: `${outcome.kind} notification` };
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}
