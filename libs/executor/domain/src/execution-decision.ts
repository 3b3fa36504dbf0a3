import { equalJitterDelayMs, fullJitterDelayMs } from '@keel/backoff';
import { checkCapture, type ChargeAmount } from './capture-check';
import type { ChargeResult, InquiryResult, OutcomeSource } from './execution-result';
import type { ExecutionPolicy } from './execution-policy';
import { EXECUTOR_FAILURE_CODES, type ExecutorFailureCode } from './failure-codes';
import type { PaymentOrderStatus } from './payment-order-status';
import { transitionPaymentOrder, type PaymentOrderEvent } from './payment-order-transition';

/** A charge the PSP holds and Keel refuses to keep: recorded as an orphan charge and refunded. */
export interface RefusedCharge {
  readonly reason: 'amount_mismatch';
  readonly pspReference: string;
  readonly captured: ChargeAmount;
  readonly reportedBy: OutcomeSource;
}

/** What to do with a payment order after a charge or an inquiry came back. */
export type ExecutionDecision =
  | { readonly kind: 'succeed'; readonly pspReference: string }
  | {
      readonly kind: 'decline';
      readonly code: string;
      readonly message: string;
      readonly pspReference?: string;
    }
  | {
      readonly kind: 'fail';
      readonly code: ExecutorFailureCode;
      readonly message: string;
      /** Present when the PSP did charge, in a way Keel will not keep. */
      readonly refusedCharge?: RefusedCharge;
    }
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

/** The order a charge answer or an inquiry is about: how far it got, and what it is for. */
export interface ExecutionOrderView extends AttemptCounts, ChargeAmount {}

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

type Success = Extract<ChargeResult, { kind: 'succeeded' }>;

/**
 * What a success does to an order waiting for it, whoever reported it: the order takes it when the
 * PSP captured exactly the order's amount and currency; otherwise the order fails `amount_mismatch`
 * and the charge is refused (refunded as an orphan charge), so nothing credits a wallet or posts
 * the ledger for money the buyer was not asked for.
 */
export function decideOnSuccess(
  order: ChargeAmount,
  success: Success,
  reportedBy: OutcomeSource,
): Extract<ExecutionDecision, { kind: 'succeed' | 'fail' }> {
  const check = checkCapture(order, success.captured);
  switch (check.kind) {
    case 'matches':
      return { kind: 'succeed', pspReference: success.pspReference };
    case 'amount_mismatch':
      return {
        kind: 'fail',
        code: EXECUTOR_FAILURE_CODES.amountMismatch,
        message: check.message,
        refusedCharge: {
          reason: 'amount_mismatch',
          pspReference: success.pspReference,
          captured: success.captured,
          reportedBy,
        },
      };
    default: {
      const unreachable: never = check;
      return unreachable;
    }
  }
}

type SettledResult = Extract<ChargeResult, { kind: 'succeeded' | 'declined' | 'cancelled' }>;

/** Outcomes that end the order, the same whether a charge or an inquiry reported them. */
function settle(order: ChargeAmount, result: SettledResult, reportedBy: OutcomeSource): ExecutionDecision {
  switch (result.kind) {
    case 'succeeded':
      return decideOnSuccess(order, result, reportedBy);
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
  order: ExecutionOrderView,
  policy: ExecutionPolicy,
  random: Random = Math.random,
): ExecutionDecision {
  switch (result.kind) {
    case 'succeeded':
    case 'declined':
    case 'cancelled':
      return settle(order, result, 'charge');
    case 'unavailable':
      return retryOrGiveUp(order, policy, `PSP unavailable: ${result.message}`, random, result.retryAfterMs);
    case 'rejected':
      return { kind: 'fail', code: EXECUTOR_FAILURE_CODES.pspRejectedRequest, message: result.message };
    case 'pending':
      return resolveLater(order, policy, 'charge pending at the PSP', random);
    case 'unknown_outcome':
      return resolveLater(order, policy, `outcome unknown: ${result.message}`, random);
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
  order: ExecutionOrderView,
  policy: ExecutionPolicy,
  random: Random = Math.random,
): ExecutionDecision {
  switch (result.kind) {
    case 'not_found':
      return retryOrGiveUp(order, policy, 'the PSP holds no charge for the order', random);
    case 'succeeded':
    case 'declined':
    case 'cancelled':
      return settle(order, result, 'inquiry');
    case 'pending':
      return resolveLater(order, policy, 'charge pending at the PSP', random);
    case 'unavailable':
    case 'unknown_outcome':
    case 'rejected':
      // An inquiry that failed tells nothing about the charge: ask again, never guess.
      return resolveLater(order, policy, `inquiry failed: ${result.message}`, random);
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
