import { equalJitterDelayMs } from '@keel/backoff';

/**
 * How a client retries a checkout: same key and body, backoff with jitter, for as long as its
 * patience lasts (counted from its first attempt) and at most `attemptsMax` attempts.
 */
export interface RetryPolicy {
  readonly requestTimeoutMs: number;
  readonly attemptsMax: number;
  /** No attempt starts later than this after the first one. */
  readonly patienceMs: number;
  readonly retryInitialDelayMs: number;
  readonly retryMaxDelayMs: number;
}

/** What one attempt ended with: an HTTP status, or no answer at all. */
export type AttemptOutcome =
  | { readonly kind: 'answered'; readonly status: number; readonly retryAfterMs?: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network_error'; readonly message: string };

/** Timeouts, lost connections, 5xx and 409 (the first copy still in flight) are worth another try. */
export function isRetryable(outcome: AttemptOutcome): boolean {
  if (outcome.kind !== 'answered') return true;
  return outcome.status >= 500 || outcome.status === 409;
}

/** Where a client stands after an attempt: its number, and how long since the first one started. */
export interface RetryProgress {
  readonly attempt: number;
  readonly elapsedMs: number;
}

/**
 * The wait before the next attempt, or undefined when the client gives up: the outcome is final,
 * the attempts are spent, or the next attempt would start past its patience. A server's
 * Retry-After wins over the backoff, but never beyond `retryMaxDelayMs`.
 */
export function retryDelayMs(
  outcome: AttemptOutcome,
  { attempt, elapsedMs }: RetryProgress,
  policy: RetryPolicy,
  random: () => number,
): number | undefined {
  if (!isRetryable(outcome) || attempt >= policy.attemptsMax) return undefined;
  const delayMs =
    outcome.kind === 'answered' && outcome.retryAfterMs !== undefined
      ? Math.min(outcome.retryAfterMs, policy.retryMaxDelayMs)
      : equalJitterDelayMs(
          attempt - 1,
          { initialDelayMs: policy.retryInitialDelayMs, maxDelayMs: policy.retryMaxDelayMs },
          random,
        );
  return elapsedMs + delayMs > policy.patienceMs ? undefined : delayMs;
}

/** `Retry-After` in seconds (the only form Keel sends); anything else is ignored. */
export function retryAfterMsOf(header: string | null): number | undefined {
  if (header === null || !/^\d{1,6}$/.test(header.trim())) return undefined;
  return Number(header.trim()) * 1_000;
}
