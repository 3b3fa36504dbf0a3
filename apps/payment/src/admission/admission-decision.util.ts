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
  readonly maxPendingPayments: number;
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
  if (backlog.pendingPayments >= limits.maxPendingPayments) {
    return { admitted: false, reason: 'backlog', retryAfterS: backlogRetryAfterS(backlog, limits) };
  }
  return { admitted: true };
}

/**
 * Seconds until the pipeline, finishing payments at its recent rate, is back under the limit;
 * clamped to 1..retryAfterMaxS, and the maximum when nothing finished recently.
 */
export function backlogRetryAfterS(backlog: BacklogSample, limits: AdmissionLimits): number {
  if (backlog.completionsPerS <= 0) return limits.retryAfterMaxS;
  const excess = backlog.pendingPayments - limits.maxPendingPayments + 1;
  const seconds = Math.ceil(excess / backlog.completionsPerS);
  return Math.min(Math.max(seconds, 1), limits.retryAfterMaxS);
}
