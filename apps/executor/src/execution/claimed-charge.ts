import type { ChargeResult } from '@keel/executor-domain';
import type { PaymentOrder } from '../payment-order/payment-order.record';
import type { TimedResult } from '../resilience/psp-call.util';

/** An order this process claimed (executing, leased) with its attempt row committed. */
export interface ClaimedCharge {
  readonly order: PaymentOrder & { readonly pspId: string };
  readonly attemptId: string;
  /** This process's clock at the claim: a charge not started well within the lease is not started. */
  readonly claimedAtMs: number;
  /** The PSP of the order's previous charge attempt; absent at its first. */
  readonly previousPspId?: string;
}

/** What a charge call came back with, for the order it was claimed for. */
export interface ChargeOutcome {
  readonly claimed: ClaimedCharge;
  readonly call: TimedResult<ChargeResult>;
  /** When the call started (this process's clock). */
  readonly attemptedAt: Date;
}

/**
 * The claims of orders just marked executing, each with its new attempt's id and, for an order
 * charged before, the PSP of its previous attempt.
 */
export function claimedChargesOf(
  orders: readonly PaymentOrder[],
  attemptIds: ReadonlyMap<string, string>,
  claimedAtMs: number,
  previousPspIds: ReadonlyMap<string, string> = new Map(),
): ClaimedCharge[] {
  const claimed: ClaimedCharge[] = [];
  for (const order of orders) {
    const attemptId = attemptIds.get(order.paymentOrderId);
    const { pspId } = order;
    if (order.status !== 'executing' || pspId === undefined) continue;
    if (attemptId === undefined)
      throw new Error(`claimed payment order ${order.paymentOrderId} has no attempt`);
    const previousPspId = previousPspIds.get(order.paymentOrderId);
    claimed.push({
      order: { ...order, pspId },
      attemptId,
      claimedAtMs,
      ...(previousPspId === undefined ? {} : { previousPspId }),
    });
  }
  return claimed;
}
