import type { PaymentOrder } from '../payment-order/payment-order.record';

/** An order this process claimed (executing, leased) with its attempt row committed. */
export interface ClaimedCharge {
  readonly order: PaymentOrder & { readonly pspId: string };
  readonly attemptId: string;
  /** This process's clock at the claim: a charge not started well within the lease is not started. */
  readonly claimedAtMs: number;
}

/** The claims of orders just marked executing, each with its new attempt's id. */
export function claimedChargesOf(
  orders: readonly PaymentOrder[],
  attemptIds: ReadonlyMap<string, string>,
  claimedAtMs: number,
): ClaimedCharge[] {
  const claimed: ClaimedCharge[] = [];
  for (const order of orders) {
    const attemptId = attemptIds.get(order.paymentOrderId);
    const { pspId } = order;
    if (order.status !== 'executing' || pspId === undefined) continue;
    if (attemptId === undefined)
      throw new Error(`claimed payment order ${order.paymentOrderId} has no attempt`);
    claimed.push({ order: { ...order, pspId }, attemptId, claimedAtMs });
  }
  return claimed;
}
