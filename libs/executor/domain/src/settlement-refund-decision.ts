import type { PaymentOrderStatus } from './payment-order-status';
import { isOrphanCharge, type WebhookOrderView } from './webhook-decision';

/**
 * The payment id of an orphan charge whose order the executor never held (reconciliation found it
 * in a PSP's settlement file): its payment is unknown here, and events and the ledger need one.
 */
export const UNKNOWN_PAYMENT_ID = 'unknown';

/** A charge a PSP's settlement file shows, that reconciliation asks to refund. */
export interface SettledCharge {
  readonly pspId: string;
  readonly pspReference: string;
}

/** What the executor holds of the order the charge was made for. */
export type SettledChargeOrder = Pick<WebhookOrderView, 'status' | 'pspId' | 'pspReference'>;

export type SettlementRefundDecision =
  /** Not Keel's to keep: the order failed or was declined, or the executor never held it. */
  | { readonly kind: 'refund' }
  /** The executor holds the order as succeeded with this very charge: no orphan, a person looks. */
  | { readonly kind: 'keep'; readonly reason: 'succeeded_with_this_charge' }
  /** The order is still being charged: its own outcome (or late answer) decides, not a file. */
  | { readonly kind: 'keep'; readonly reason: 'in_flight'; readonly status: PaymentOrderStatus };

/**
 * Whether a charge reconciliation found in a settlement file is refunded as an orphan charge. The
 * executor checks again on its own records what reconciliation concluded from its view, which may
 * trail: a success it holds with this charge is never refunded.
 */
export function decideSettlementRefund(
  order: SettledChargeOrder | undefined,
  charge: SettledCharge,
): SettlementRefundDecision {
  if (order === undefined) return { kind: 'refund' };
  if (isOrphanCharge(order, charge.pspId, charge.pspReference)) return { kind: 'refund' };
  if (order.status === 'succeeded') return { kind: 'keep', reason: 'succeeded_with_this_charge' };
  return { kind: 'keep', reason: 'in_flight', status: order.status };
}
