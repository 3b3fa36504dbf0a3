/** How a client retries a checkout: same key and body, bounded attempts, backoff with jitter. */
export interface RetryPolicy {
  readonly requestTimeoutMs: number;
  readonly attemptsMax: number;
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

/**
 * The wait before attempt `attempt + 1`, or undefined when the client gives up. A server's
 * Retry-After wins over the backoff, but never beyond `retryMaxDelayMs`.
 */
export function retryDelayMs(
  outcome: AttemptOutcome,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): number | undefined {
  if (!isRetryable(outcome) || attempt >= policy.attemptsMax) return undefined;
  if (outcome.kind === 'answered' && outcome.retryAfterMs !== undefined)
    return Math.min(outcome.retryAfterMs, policy.retryMaxDelayMs);
  const backoffMs = Math.min(policy.retryMaxDelayMs, policy.retryInitialDelayMs * 2 ** (attempt - 1));
  return Math.round(backoffMs * (0.5 + random() / 2));
}

/** `Retry-After` in seconds (the only form Keel sends); anything else is ignored. */
export function retryAfterMsOf(header: string | null): number | undefined {
  if (header === null || !/^\d{1,6}$/.test(header.trim())) return undefined;
  return Number(header.trim()) * 1_000;
}
