import { equalJitterDelayMs, fullJitterDelayMs } from '@keel/backoff';
import type { ChargeResult, InquiryResult } from './execution-result';
import type { ExecutionPolicy } from './execution-policy';
import { EXECUTOR_FAILURE_CODES, type ExecutorFailureCode } from './failure-codes';
import type { PaymentOrderStatus } from './payment-order-status';
import { transitionPaymentOrder, type PaymentOrderEvent } from './payment-order-transition';

/** What to do with a payment order after a charge or an inquiry came back. */
export type ExecutionDecision =
  | { readonly kind: 'succeed'; readonly pspReference: string }
  | {
      readonly kind: 'decline';
      readonly code: string;
      readonly message: string;
      readonly pspReference?: string;
    }
  | { readonly kind: 'fail'; readonly code: ExecutorFailureCode; readonly message: string }
  /** Back to `created`: charge again after the delay, with the same key at the same PSP. */
  | { readonly kind: 'retry'; readonly delayMs: number; readonly reason: string }
  /** `unknown`: ask the PSP again after the delay; never charge again meanwhile. */
  | { readonly kind: 'resolve'; readonly delayMs: number; readonly reason: string };

export interface AttemptCounts {
  /** Charge attempts made so far, the current one included. */
  readonly attempts: number;
  /** Status inquiries made so far, the current one included. */
  readonly inquiries: number;
}

type Random = () => number;

function retryOrGiveUp(
  counts: AttemptCounts,
  policy: ExecutionPolicy,
  reason: string,
  random: Random,
  retryAfterMs?: number,
): ExecutionDecision {
  if (counts.attempts >= policy.chargeAttemptsMax) {
    return {
      kind: 'fail',
      code: EXECUTOR_FAILURE_CODES.pspUnavailable,
      message: `${reason}; gave up after ${counts.attempts} attempts`,
    };
  }
  const settings = { initialDelayMs: policy.retryInitialDelayMs, maxDelayMs: policy.retryMaxDelayMs };
  const backoffMs = fullJitterDelayMs(counts.attempts - 1, settings, random);
  // Retry-After is honoured up to our own ceiling, so one PSP header cannot park an order for a day.
  const delayMs = Math.max(backoffMs, Math.min(retryAfterMs ?? 0, policy.retryMaxDelayMs));
  return { kind: 'retry', delayMs, reason };
}

function resolveLater(
  counts: AttemptCounts,
  policy: ExecutionPolicy,
  reason: string,
  random: Random,
): ExecutionDecision {
  const settings = { initialDelayMs: policy.inquiryInitialDelayMs, maxDelayMs: policy.inquiryMaxDelayMs };
  return { kind: 'resolve', delayMs: equalJitterDelayMs(counts.inquiries, settings, random), reason };
}

type SettledResult = Extract<ChargeResult, { kind: 'succeeded' | 'declined' | 'cancelled' }>;

/** Outcomes that end the order, the same whether a charge or an inquiry reported them. */
function settle(result: SettledResult): ExecutionDecision {
  switch (result.kind) {
    case 'succeeded':
      return { kind: 'succeed', pspReference: result.pspReference };
    case 'declined':
      return result.pspReference === undefined
        ? { kind: 'decline', code: result.code, message: result.message }
        : { kind: 'decline', code: result.code, message: result.message, pspReference: result.pspReference };
    case 'cancelled':
      return {
        kind: 'fail',
        code: EXECUTOR_FAILURE_CODES.cancelled,
        message: `The PSP reports charge ${result.pspReference} cancelled`,
      };
    default: {
      const unreachable: never = result;
      return unreachable;
    }
  }
}

/**
 * After a charge. Only an answer that proves nothing was charged (unavailable) leads to another
 * charge; anything that may have charged (timeout, 5xx, pending) goes to inquiry.
 */
export function decideAfterCharge(
  result: ChargeResult,
  counts: AttemptCounts,
  policy: ExecutionPolicy,
  random: Random = Math.random,
): ExecutionDecision {
  switch (result.kind) {
    case 'succeeded':
    case 'declined':
    case 'cancelled':
      return settle(result);
    case 'unavailable':
      return retryOrGiveUp(counts, policy, `PSP unavailable: ${result.message}`, random, result.retryAfterMs);
    case 'rejected':
      return { kind: 'fail', code: EXECUTOR_FAILURE_CODES.pspRejectedRequest, message: result.message };
    case 'pending':
      return resolveLater(counts, policy, 'charge pending at the PSP', random);
    case 'unknown_outcome':
      return resolveLater(counts, policy, `outcome unknown: ${result.message}`, random);
    default: {
      const unreachable: never = result;
      return unreachable;
    }
  }
}

/**
 * After a status inquiry for an order whose outcome was unknown. The PSP holding no charge for our
 * key is the only proof that charging again (same key, same PSP) cannot charge twice.
 */
export function decideAfterInquiry(
  result: InquiryResult,
  counts: AttemptCounts,
  policy: ExecutionPolicy,
  random: Random = Math.random,
): ExecutionDecision {
  switch (result.kind) {
    case 'not_found':
      return retryOrGiveUp(counts, policy, 'the PSP holds no charge for the order', random);
    case 'succeeded':
    case 'declined':
    case 'cancelled':
      return settle(result);
    case 'pending':
      return resolveLater(counts, policy, 'charge pending at the PSP', random);
    case 'unavailable':
    case 'unknown_outcome':
    case 'rejected':
      // An inquiry that failed tells nothing about the charge: ask again, never guess.
      return resolveLater(counts, policy, `inquiry failed: ${result.message}`, random);
    default: {
      const unreachable: never = result;
      return unreachable;
    }
  }
}

const EVENT_OF_DECISION: Readonly<Record<ExecutionDecision['kind'], PaymentOrderEvent>> = {
  succeed: 'succeeded',
  decline: 'declined',
  fail: 'failed',
  retry: 'retry_scheduled',
  resolve: 'outcome_unknown',
};

/**
 * The status an order in `from` takes on a decision; throws PaymentOrderError when the life cycle
 * forbids it. Resolving an order that is already unknown keeps it unknown.
 */
export function statusAfterDecision(
  from: PaymentOrderStatus,
  decision: ExecutionDecision,
): PaymentOrderStatus {
  if (decision.kind === 'resolve' && from === 'unknown') return 'unknown';
  return transitionPaymentOrder(from, EVENT_OF_DECISION[decision.kind]);
}
