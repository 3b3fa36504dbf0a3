import type { PaymentMethodType } from '@keel/contracts';
import { PaymentOrderError, PaymentOrderErrorCode } from './payment-order.error';

/** One PSP's share of a payment method's traffic (the "allocation ratio"). */
export interface PspAllocation {
  readonly pspId: string;
  /** Relative weight; 0 keeps the PSP configured but sends it nothing. */
  readonly weight: number;
}

/** Which PSPs may charge each payment method, and in what proportion. */
export type RoutingTable = Readonly<Record<PaymentMethodType, readonly PspAllocation[]>>;

export type RouteChoice = { readonly kind: 'psp'; readonly pspId: string } | { readonly kind: 'unavailable' };

/** Issue 3: one PSP per method, and no PSP for mobile payments yet. */
export const DEFAULT_ROUTING_TABLE: RoutingTable = {
  card: [{ pspId: 'acme', weight: 1 }],
  easy_pay: [{ pspId: 'swiftpay', weight: 1 }],
  bank_transfer: [{ pspId: 'nova', weight: 1 }],
  mobile: [],
};

/** Throws when a weight is not a non-negative safe integer, so a bad table fails at start-up. */
export function assertValidRoutingTable(table: RoutingTable): void {
  for (const [method, allocations] of Object.entries(table)) {
    for (const allocation of allocations) {
      if (!Number.isSafeInteger(allocation.weight) || allocation.weight < 0) {
        throw new PaymentOrderError(
          PaymentOrderErrorCode.InvalidRoutingTable,
          `Weight of ${allocation.pspId} for ${method} must be a non-negative integer, got ${allocation.weight}`,
        );
      }
    }
  }
}

/**
 * Picks a PSP for a payment method by weight among its allocations. `random` returns a number in
 * [0, 1); it is a parameter so that tests are deterministic. No allocation with a positive weight
 * means the method cannot be charged at all.
 */
export function chooseRoute(
  methodType: PaymentMethodType,
  table: RoutingTable,
  random: () => number = Math.random,
): RouteChoice {
  const candidates = table[methodType].filter((allocation) => allocation.weight > 0);
  const totalWeight = candidates.reduce((total, allocation) => total + allocation.weight, 0);
  if (totalWeight === 0) return { kind: 'unavailable' };
  let remaining = random() * totalWeight;
  for (const allocation of candidates) {
    remaining -= allocation.weight;
    if (remaining < 0) return { kind: 'psp', pspId: allocation.pspId };
  }
  // Only reachable when random() returns 1 or more, against its contract; the last one is fair.
  const last = candidates[candidates.length - 1];
  return last === undefined ? { kind: 'unavailable' } : { kind: 'psp', pspId: last.pspId };
}
