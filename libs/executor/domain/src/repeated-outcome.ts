import type { ChargeResult } from './execution-result';
import type { PaymentOrderStatus } from './payment-order-status';

/** What a late charge answer is compared with. */
export interface SettledOrderView {
  readonly status: PaymentOrderStatus;
  readonly pspId?: string;
  readonly pspReference?: string;
}

/**
 * True when a charge answer that arrives after its order ended only repeats how it ended: the
 * PSP's webhook for the same charge often lands first. Anything else arriving late (another
 * outcome, another charge) is news and deserves a look.
 */
export function repeatsSettledOutcome(order: SettledOrderView, pspId: string, result: ChargeResult): boolean {
  if (order.pspId !== pspId) return false;
  if (result.kind === 'succeeded')
    return order.status === 'succeeded' && order.pspReference === result.pspReference;
  return result.kind === 'declined' && order.status === 'declined';
}
