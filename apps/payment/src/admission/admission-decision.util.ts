/** Why a create request was refused; the `reason` label of keel_http_shed_total. */
export type ShedReason = 'concurrency' | 'backlog' | 'merchant_rate';

/** The pipeline as last sampled: payments accepted and not yet terminal, and how fast they finish. */
export interface BacklogSample {
  readonly pendingPayments: number;
  readonly completionsPerS: number;
  readonly sampledAtMs: number;
}

export interface AdmissionLimits {
  readonly maxConcurrentCreates: number;
  /** The backlog never holds more accepted, unfinished payments than this. */
  readonly maxPendingPayments: number;
  /** Below that cap, the backlog holds at most this much work at the recent completion rate... */
  readonly maxBacklogDelayMs: number;
  /** ...but that rule never limits it below this many (a quiet system has no completion rate). */
  readonly pendingLimitFloor: number;
  /** A sample older than this is ignored: the backlog limit then fails open. */
  readonly sampleMaxAgeMs: number;
  readonly retryAfterMaxS: number;
}

export interface AdmissionInput {
  readonly createsInFlight: number;
  readonly backlog: BacklogSample | undefined;
  readonly nowMs: number;
}

export type AdmissionDecision =
  | { readonly admitted: true }
  | { readonly admitted: false; readonly reason: ShedReason; readonly retryAfterS: number };

/**
 * The process-wide checks, cheapest first: concurrent creates (refused at once with Retry-After 1,
 * nothing queues), then the sampled pipeline backlog. The per-merchant rate is checked after, so a
 * request refused here costs the merchant no token.
 */
export function decideAdmission(input: AdmissionInput, limits: AdmissionLimits): AdmissionDecision {
  if (input.createsInFlight >= limits.maxConcurrentCreates) {
    return { admitted: false, reason: 'concurrency', retryAfterS: 1 };
  }
  const backlog = input.backlog;
  if (backlog === undefined || input.nowMs - backlog.sampledAtMs > limits.sampleMaxAgeMs) {
    return { admitted: true };
  }
  if (backlog.pendingPayments >= pendingLimit(backlog, limits)) {
    return { admitted: false, reason: 'backlog', retryAfterS: backlogRetryAfterS(backlog, limits) };
  }
  return { admitted: true };
}

/**
 * How many pending payments the backlog may hold now: as many as the pipeline finishes within
 * maxBacklogDelayMs at its recent completion rate — by Little's law, about the wait of a payment
 * admitted now — within pendingLimitFloor..maxPendingPayments. Under overload the backlog, and so
 * the latency of admitted payments, stays bounded by time rather than by a count tuned to a machine.
 */
export function pendingLimit(backlog: BacklogSample, limits: AdmissionLimits): number {
  const byDelay = Math.floor((backlog.completionsPerS * limits.maxBacklogDelayMs) / 1_000);
  return Math.min(limits.maxPendingPayments, Math.max(limits.pendingLimitFloor, byDelay));
}

/**
 * Seconds until the pipeline, finishing payments at its recent rate, is back under the limit;
 * clamped to 1..retryAfterMaxS, and the maximum when nothing finished recently.
 */
export function backlogRetryAfterS(backlog: BacklogSample, limits: AdmissionLimits): number {
  if (backlog.completionsPerS <= 0) return limits.retryAfterMaxS;
  const excess = backlog.pendingPayments - pendingLimit(backlog, limits) + 1;
  const seconds = Math.ceil(excess / backlog.completionsPerS);
  return Math.min(Math.max(seconds, 1), limits.retryAfterMaxS);
}
