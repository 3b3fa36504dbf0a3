import type { ChargeResult } from './execution-result';

/**
 * Whether a charge result is evidence that the PSP is unhealthy. Only what the PSP's own trouble
 * causes counts: refused connections, 429 and 503 (unavailable), timeouts, lost connections and
 * other 5xx (unknown outcome). A decline is the PSP working as it should, and a rejected request
 * is our fault; counting either would let buyers' cards or our bugs open a breaker.
 */
export function countsAsBreakerFailure(result: ChargeResult): boolean {
  switch (result.kind) {
    case 'unavailable':
    case 'unknown_outcome':
      return true;
    case 'succeeded':
    case 'declined':
    case 'pending':
    case 'cancelled':
    case 'rejected':
      return false;
    default: {
      const unreachable: never = result;
      return unreachable;
    }
  }
}

/** Breaker state as exported in `keel_psp_breaker_state`: 0 closed, 1 half-open, 2 open. */
export const BREAKER_STATE_GAUGE_VALUES = { closed: 0, half_open: 1, open: 2 } as const;
