import type { PaymentMethodType } from '@keel/contracts';

/** Any provider (issuer, wallet provider, bank) of a method type. */
export const ANY_PROVIDER = '*';

/** One row of the routing configuration: a PSP's share of a method's (or one provider's) traffic. */
export interface PspRoute {
  readonly methodType: PaymentMethodType;
  /** An issuer, easy-pay provider or bank; ANY_PROVIDER for the rest of the method. */
  readonly provider: string;
  readonly pspId: string;
  /** Relative integer weight; 0 keeps the PSP configured but sends it nothing. */
  readonly weight: number;
  /** False when operations took the PSP out of this route. */
  readonly enabled: boolean;
}

export type PspSelection =
  | { readonly kind: 'psp'; readonly pspId: string; readonly reason: string }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface PspSelectionRequest {
  readonly methodType: PaymentMethodType;
  readonly provider?: string;
  readonly routes: readonly PspRoute[];
  /** Why a PSP cannot take a charge now (e.g. `breaker_open`), undefined when it can. */
  readonly unavailableReason: (pspId: string) => string | undefined;
  /**
   * The PSP of the order's last attempt, when that attempt certainly charged nothing (it was
   * refused, or an inquiry found no charge): the order fails over away from it if it can.
   */
  readonly previous?: { readonly pspId: string; readonly proof: string };
  /** Returns a number in [0, 1); a parameter so that tests are deterministic. */
  readonly random?: () => number;
}

/** The routes that apply to a method and provider: the provider's own if it has any, else '*'. */
export function routesFor(
  routes: readonly PspRoute[],
  methodType: PaymentMethodType,
  provider: string | undefined,
): PspRoute[] {
  const ofMethod = routes.filter((route) => route.methodType === methodType);
  const own = ofMethod.filter((route) => provider !== undefined && route.provider === provider);
  const chosen = own.length > 0 ? own : ofMethod.filter((route) => route.provider === ANY_PROVIDER);
  return chosen.filter((route) => route.enabled && route.weight > 0);
}

function pickByWeight(candidates: readonly PspRoute[], random: () => number): PspRoute | undefined {
  const totalWeight = candidates.reduce((total, route) => total + route.weight, 0);
  if (totalWeight === 0) return undefined;
  let remaining = random() * totalWeight;
  for (const route of candidates) {
    remaining -= route.weight;
    if (remaining < 0) return route;
  }
  // Only reachable when random() returns 1 or more, against its contract; the last one is fair.
  return candidates[candidates.length - 1];
}

/**
 * Chooses the PSP for one charge. A first attempt draws by weight among the configured PSPs; if
 * the drawn PSP cannot take charges, it draws again among those that can and records the failover.
 * An order whose last PSP certainly charged nothing moves to another eligible PSP (same
 * idempotency key) and stays with the same PSP only when no other is eligible. When no PSP is
 * eligible at all the order still gets one (reason `no_eligible_psp…`): its breaker turns the
 * charge away without a call and the order waits with backoff, within its bounded attempts.
 * `unavailable` means the method has no PSP configured at all.
 */
export function selectPsp(request: PspSelectionRequest): PspSelection {
  const random = request.random ?? Math.random;
  const configured = routesFor(request.routes, request.methodType, request.provider);
  const eligible = configured.filter((route) => request.unavailableReason(route.pspId) === undefined);
  const { previous } = request;
  if (previous !== undefined) {
    const next = pickByWeight(
      eligible.filter((route) => route.pspId !== previous.pspId),
      random,
    );
    if (next !== undefined) {
      return { kind: 'psp', pspId: next.pspId, reason: `failover_from_${previous.pspId}: ${previous.proof}` };
    }
    const why = request.unavailableReason(previous.pspId);
    const prefix = why === undefined ? 'retry_same_psp' : `no_eligible_psp_${previous.pspId}_${why}`;
    return { kind: 'psp', pspId: previous.pspId, reason: `${prefix}: ${previous.proof}` };
  }
  const drawn = pickByWeight(configured, random);
  if (drawn === undefined) return { kind: 'unavailable', reason: `no PSP routed for ${request.methodType}` };
  const why = request.unavailableReason(drawn.pspId);
  if (why === undefined) return { kind: 'psp', pspId: drawn.pspId, reason: 'weighted' };
  const next = pickByWeight(eligible, random);
  return next === undefined
    ? { kind: 'psp', pspId: drawn.pspId, reason: `no_eligible_psp_${drawn.pspId}_${why}` }
    : { kind: 'psp', pspId: next.pspId, reason: `failover_from_${drawn.pspId}_${why}` };
}

/** Whether any configured PSP of the method (any provider) can take charges now. */
export function isMethodAvailable(
  routes: readonly PspRoute[],
  methodType: PaymentMethodType,
  unavailableReason: (pspId: string) => string | undefined,
): boolean {
  return routes.some(
    (route) =>
      route.methodType === methodType &&
      route.enabled &&
      route.weight > 0 &&
      unavailableReason(route.pspId) === undefined,
  );
}

/** The routing that the migration seeds: all three simulated PSPs where their dialect fits. */
export const DEFAULT_PSP_ROUTES: readonly PspRoute[] = [
  { methodType: 'card', provider: ANY_PROVIDER, pspId: 'acme', weight: 70, enabled: true },
  { methodType: 'card', provider: ANY_PROVIDER, pspId: 'nova', weight: 30, enabled: true },
  { methodType: 'easy_pay', provider: ANY_PROVIDER, pspId: 'swiftpay', weight: 100, enabled: true },
  { methodType: 'bank_transfer', provider: ANY_PROVIDER, pspId: 'nova', weight: 100, enabled: true },
];
