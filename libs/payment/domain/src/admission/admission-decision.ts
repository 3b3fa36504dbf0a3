/** Why a create request was shed; the `reason` label of keel_http_shed_total. */
export type ShedReason = 'concurrency' | 'charge_backlog';

/**
 * The charge backlog as last sampled: accepted payments still waiting for the executor's outcome
 * of a charge, and how many payments a second have been getting their outcomes lately. A payment
 * whose charges all have an outcome is not in it, however long wallet and ledger take to confirm.
 */
export interface ChargeBacklogSample {
  readonly pendingPayments: number;
  readonly chargedPerS: number;
  /** How long the oldest order still waiting for its charge has waited; 0 when none waits. */
  readonly oldestPendingAgeMs: number;
  readonly sampledAtMs: number;
}

export interface AdmissionLimits {
  readonly maxConcurrentCreates: number;
  /** The charge backlog never holds more payments than this. */
  readonly maxPendingPayments: number;
  /** Below that cap, a payment admitted now would wait at most this long for its charge... */
  readonly maxChargeWaitMs: number;
  /** ...but that rule never limits the backlog below this many (a quiet system has no charge rate). */
  readonly pendingLimitFloor: number;
  /** A sample older than this is ignored: the backlog limit then fails open. */
  readonly sampleMaxAgeMs: number;
  readonly retryAfterMaxS: number;
}

export interface AdmissionInput {
  readonly createsInFlight: number;
  readonly backlog: ChargeBacklogSample | undefined;
  readonly nowMs: number;
}

export type AdmissionDecision =
  | { readonly admitted: true }
  | { readonly admitted: false; readonly reason: ShedReason; readonly retryAfterS: number };

/**
 * The process-wide checks, cheapest first: concurrent creates (refused at once with Retry-After 1,
 * nothing queues), then the sampled charge backlog. Each API key's rate is limited before, at
 * the HTTP surface, for every request of the key.
 */
export function decideAdmission(input: AdmissionInput, limits: AdmissionLimits): AdmissionDecision {
  if (input.createsInFlight >= limits.maxConcurrentCreates) {
    return { admitted: false, reason: 'concurrency', retryAfterS: 1 };
  }
  const backlog = input.backlog;
  if (backlog === undefined || input.nowMs - backlog.sampledAtMs > limits.sampleMaxAgeMs) {
    return { admitted: true };
  }
  if (overChargeBudget(backlog, limits)) {
    return {
      admitted: false,
      reason: 'charge_backlog',
      retryAfterS: backlogRetryAfterS(backlog, limits),
    };
  }
  return { admitted: true };
}

/**
 * The backlog holds the cap, or a payment admitted now would wait the budget for its charge. While
 * charges get outcomes, that is the forecast at the recent rate (pendingLimit). Before the first
 * outcome of the window there is no rate to forecast with — a system just started, an executor
 * still joining its group — and what the oldest pending order has already waited decides instead:
 * an executor that stays dead is found out once that reaches the budget, and a cold start is not
 * refused for lacking history.
 */
function overChargeBudget(backlog: ChargeBacklogSample, limits: AdmissionLimits): boolean {
  if (backlog.pendingPayments >= limits.maxPendingPayments) return true;
  if (backlog.chargedPerS > 0) return backlog.pendingPayments >= pendingLimit(backlog, limits);
  return (
    backlog.pendingPayments >= limits.pendingLimitFloor &&
    backlog.oldestPendingAgeMs >= limits.maxChargeWaitMs
  );
}

/**
 * How many payments the charge backlog may hold now: as many as get their charge outcome within
 * maxChargeWaitMs at the recent rate, within pendingLimitFloor..maxPendingPayments.
 *
 * By Little's law a payment admitted behind L pending payments, drained at r payments/s, waits
 * about L / r; holding L below r × maxChargeWaitMs keeps that wait within the budget. While the
 * executor keeps up, r is the arrival rate and L is a fraction of a second of it. Under sustained
 * overload r is the executor's capacity, so the backlog stops at the budget's worth of it (or the
 * cap) and the rest is refused. When the executor stalls for d seconds, L grows to λ·d while r,
 * counted over a window of T seconds (charge-rate.ts), only falls to λ·(T − d)/T: the estimated
 * wait reads d·T/(T − d) whatever λ, so no checkout is refused while d < T·B/(T + B) for a budget
 * B — 30 s with both at 60 s, room for a restart plus the consumer group handing its partitions back.
 * The floor applies where the rate forecasts; without a rate, overChargeBudget observes instead.
 */
export function pendingLimit(backlog: ChargeBacklogSample, limits: AdmissionLimits): number {
  const byWait = Math.floor((backlog.chargedPerS * limits.maxChargeWaitMs) / 1_000);
  return Math.min(limits.maxPendingPayments, Math.max(limits.pendingLimitFloor, byWait));
}

/**
 * Seconds a payment admitted now would wait for its charge: the backlog at the recent rate, zero
 * with nothing pending, and while nothing got an outcome within the window at least what the
 * oldest pending order has waited (see overChargeBudget).
 */
export function estimatedChargeWaitS(backlog: ChargeBacklogSample): number {
  if (backlog.pendingPayments === 0) return 0;
  if (backlog.chargedPerS <= 0) return backlog.oldestPendingAgeMs / 1_000;
  return backlog.pendingPayments / backlog.chargedPerS;
}

/**
 * Seconds until the backlog, charged at its recent rate, is back under the limit; clamped to
 * 1..retryAfterMaxS, and the maximum when no payment got an outcome recently.
 */
export function backlogRetryAfterS(backlog: ChargeBacklogSample, limits: AdmissionLimits): number {
  if (backlog.chargedPerS <= 0) return limits.retryAfterMaxS;
  const excess = backlog.pendingPayments - pendingLimit(backlog, limits) + 1;
  const seconds = Math.ceil(excess / backlog.chargedPerS);
  return Math.min(Math.max(seconds, 1), limits.retryAfterMaxS);
}
