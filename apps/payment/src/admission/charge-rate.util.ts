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

/**
 * Payments a second that got a charge outcome lately: the distinct payments among the outcomes of
 * the window, over the window's length. A window that held more outcomes than were read (the cap
 * was reached) is measured over the span of those read instead, so the rate stays right. A
 * payment with several orders counts once, as the backlog counts it.
 *
 * The window is long on purpose: a stall of the executor shorter than the window leaves the rate
 * at (T − d)/T of its value instead of zero, so a restart does not read as a dead executor
 * (see pendingLimit in admission-decision.util).
 */
export function chargedPaymentsPerS(recent: RecentChargeOutcomes, window: ChargeRateWindow): number {
  if (recent.payments === 0) return 0;
  const spanMs =
    recent.outcomes >= window.outcomesCap && recent.oldestAgeMs !== undefined
      ? Math.min(Math.max(recent.oldestAgeMs, 1), window.windowMs)
      : window.windowMs;
  return (recent.payments * 1_000) / spanMs;
}
