/** The executor's charge outcomes read back from the event store, newest first. */
export interface RecentChargeOutcomes {
  /** Outcomes read: those recorded within the window, at most the cap. */
  readonly outcomes: number;
  /** Distinct payments among them. */
  readonly payments: number;
  /** Age of the oldest outcome read; undefined when none was. */
  readonly oldestAgeMs: number | undefined;
}

export interface ChargeRateWindow {
  readonly windowMs: number;
  /** Outcomes read at most per sample (chargeOutcomesCap). */
  readonly outcomesCap: number;
}

/**
 * How many outcomes a sample needs to read. Beyond maxPendingPayments / maxChargeWaitMs payments
 * a second, the cap on pending payments binds before the wait budget, so a finer rate changes no
 * decision: a window holding that rate's worth of single-order payments is enough. The count stays
 * bounded however fast the executor runs.
 */
export function chargeOutcomesCap(
  maxPendingPayments: number,
  windowMs: number,
  maxChargeWaitMs: number,
): number {
  return Math.max(1, Math.ceil((maxPendingPayments * windowMs) / maxChargeWaitMs));
}

/** The shortest span a rate is measured over, so the first outcome after a quiet window is not a spike. */
const RATE_SPAN_MIN_MS = 1_000;

/**
 * Payments a second that got a charge outcome lately: the distinct payments among the outcomes of
 * the window, over the span those outcomes cover — the window's length while outcomes fill it, the
 * age of the oldest one when traffic began within the window (after a quiet spell, or when the cap
 * cut the read short), so a young rate is not read as a slow one. A payment with several orders
 * counts once, as the backlog counts it.
 *
 * The window is long on purpose: a stall of the executor shorter than the window leaves the rate
 * at (T − d)/T of its value instead of zero, so a restart does not read as a dead executor
 * (see pendingLimit in admission-decision.ts).
 */
export function chargedPaymentsPerS(recent: RecentChargeOutcomes, window: ChargeRateWindow): number {
  if (recent.payments === 0) return 0;
  const spanMs = Math.min(window.windowMs, Math.max(recent.oldestAgeMs ?? window.windowMs, RATE_SPAN_MIN_MS));
  return (recent.payments * 1_000) / spanMs;
}
