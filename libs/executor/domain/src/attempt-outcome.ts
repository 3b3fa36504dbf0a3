import type { PspAttemptOutcome } from '@keel/contracts';
import type { ChargeResult } from './execution-result';

/**
 * How a charge attempt counts for watching PSPs and providers (the attempt event's outcome). A
 * decline or a cancelled charge is the PSP working; `failed` is what proves the PSP's own trouble
 * with nothing charged (unavailable: 503, connection refused, an open breaker; a request it
 * refused); `unknown` is every answer the executor must still resolve by inquiry — a timeout or a
 * lost answer, and a pending charge, whose outcome the issuer has not given yet.
 */
export function attemptOutcomeOf(result: ChargeResult): PspAttemptOutcome {
  switch (result.kind) {
    case 'succeeded':
      return 'approved';
    case 'declined':
    case 'cancelled':
      return 'declined';
    case 'unavailable':
    case 'rejected':
      return 'failed';
    case 'unknown_outcome':
    case 'pending':
      return 'unknown';
    default: {
      const unreachable: never = result;
      return unreachable;
    }
  }
}
