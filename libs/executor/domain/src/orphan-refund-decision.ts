import { equalJitterDelayMs } from '@keel/backoff';

export type RefundFailureDecision =
  | { readonly kind: 'retry'; readonly delayMs: number }
  /** Bounded: after the last attempt the orphan is left to a person, loudly. */
  | { readonly kind: 'give_up' };

export interface RefundRetryPolicy {
  readonly attemptsMax: number;
  readonly retryInitialDelayMs: number;
  readonly retryMaxDelayMs: number;
}

/**
 * After a failed refund request (`attempts` made so far, this one included): try again with
 * backoff, the same idempotency key, until the attempts run out. A refund the PSP refuses as
 * invalid will not get better by waiting, so it stops at once.
 */
export function decideAfterRefundFailure(
  attempts: number,
  rejected: boolean,
  policy: RefundRetryPolicy,
  random: () => number = Math.random,
): RefundFailureDecision {
  if (rejected || attempts >= policy.attemptsMax) return { kind: 'give_up' };
  const delayMs = equalJitterDelayMs(
    attempts - 1,
    {
      initialDelayMs: policy.retryInitialDelayMs,
      maxDelayMs: policy.retryMaxDelayMs,
    },
    random,
  );
  return { kind: 'retry', delayMs };
}

/** The key every refund request of one orphan carries, so a retry never refunds twice. */
export function orphanRefundKeyOf(paymentOrderId: string, pspReference: string): string {
  return `refund:${paymentOrderId}:${pspReference}`;
}
