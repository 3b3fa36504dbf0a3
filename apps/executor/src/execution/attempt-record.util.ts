import type { ChargeResult, InquiryResult, PaymentOrderStatus } from '@keel/executor-domain';
import type { AttemptFinish } from '../payment-order/payment-order-attempt.repository';
import type { PaymentOrder } from '../payment-order/payment-order.record';
import type { TimedResult } from '../resilience/psp-call.util';

/** What a PSP call's result leaves on its attempt row. */
export function attemptFinishOf(call: TimedResult<ChargeResult | InquiryResult>): AttemptFinish {
  const { result } = call;
  switch (result.kind) {
    case 'succeeded':
    case 'pending':
    case 'cancelled':
      return { outcome: result.kind, pspReference: result.pspReference, durationMs: call.durationMs };
    case 'declined':
      return {
        outcome: result.kind,
        pspReference: result.pspReference,
        errorCode: result.code,
        errorMessage: result.message,
        durationMs: call.durationMs,
      };
    case 'not_found':
      return { outcome: result.kind, durationMs: call.durationMs };
    case 'unavailable':
    case 'unknown_outcome':
    case 'rejected':
      return {
        outcome: result.kind,
        errorCode: call.errorCode,
        errorMessage: result.message,
        durationMs: call.durationMs,
      };
    default: {
      const unreachable: never = result;
      return unreachable;
    }
  }
}

export interface ClaimExpectation {
  readonly statuses: readonly PaymentOrderStatus[];
  readonly attempts: number;
  /** Checked when given: a resolver's claim is also one inquiry. */
  readonly inquiries?: number;
}

/**
 * True when the order is still in the execution a call was made for: in one of the statuses, and
 * no later attempt (or inquiry) started since. A late result never overrides a newer one.
 */
export function isStillClaimed(current: PaymentOrder, expected: ClaimExpectation): boolean {
  return (
    expected.statuses.includes(current.status) &&
    current.attempts === expected.attempts &&
    (expected.inquiries === undefined || current.inquiries === expected.inquiries)
  );
}
