/** When a step counts as kept up; every limit is a bench option. */
export interface KeepUpCriteria {
  /** Share of the step's payments that must complete within `e2eP99MsMax` after the last send. */
  readonly completedShareMin: number;
  readonly e2eP99MsMax: number;
  /** Growth of outbox backlog plus consumer lag over the step allowed, in seconds of arrivals. */
  readonly backlogGrowthSMax: number;
}

export interface StepSignals {
  readonly offeredRatePerS: number;
  readonly sent: number;
  readonly completed: number;
  /** p99 of end-to-end latency, Infinity when more than 1 % never completed. */
  readonly e2eP99Ms: number | undefined;
  /** Outbox backlog plus consumer lag over all services at the first and last sample of the step. */
  readonly pipelineBacklogStart: number;
  readonly pipelineBacklogEnd: number;
}

export interface StepVerdict {
  readonly keptUp: boolean;
  readonly reasons: readonly string[];
}

export function keepUpVerdict(signals: StepSignals, criteria: KeepUpCriteria): StepVerdict {
  const reasons: string[] = [];
  const completedShare = signals.sent === 0 ? 0 : signals.completed / signals.sent;
  if (completedShare < criteria.completedShareMin)
    reasons.push(`completed ${(100 * completedShare).toFixed(1)} % < ${100 * criteria.completedShareMin} %`);
  if (signals.e2eP99Ms === undefined || signals.e2eP99Ms > criteria.e2eP99MsMax)
    reasons.push(`e2e p99 over ${criteria.e2eP99MsMax} ms`);
  const growth = signals.pipelineBacklogEnd - signals.pipelineBacklogStart;
  const growthAllowed = signals.offeredRatePerS * criteria.backlogGrowthSMax;
  if (growth > growthAllowed) reasons.push(`backlog grew by ${growth} (> ${growthAllowed.toFixed(0)})`);
  return { keptUp: reasons.length === 0, reasons };
}

export interface RampStep {
  readonly offeredRatePerS: number;
  readonly keptUp: boolean;
}

/** The highest offered rate that kept up, undefined if none did. */
export function sustainedMaxRate(steps: readonly RampStep[]): number | undefined {
  const kept = steps.filter((step) => step.keptUp).map((step) => step.offeredRatePerS);
  return kept.length === 0 ? undefined : Math.max(...kept);
}

export interface RampPlan {
  readonly startRatePerS: number;
  readonly growthFactor: number;
  readonly stepsMax: number;
  /** The descent (when even the start rate falls behind) stops below this rate. */
  readonly rateMinPerS: number;
}

/**
 * The rate of the next ramp step, undefined when the ramp is over. A step that falls behind is run
 * once more at the same rate before the ramp takes it as the answer: on a shared machine one step
 * can lose its cores to other work for a few seconds. The ramp climbs from the start rate by the
 * growth factor while steps keep up and stops at the first rate that falls behind twice; if the
 * start rate falls behind twice, it descends by the same factor until a step keeps up, so a loaded
 * machine still yields a sustained maximum.
 */
export function nextRampRate(steps: readonly RampStep[], plan: RampPlan): number | undefined {
  const last = steps[steps.length - 1];
  if (last === undefined) return plan.startRatePerS;
  if (steps.length >= plan.stepsMax) return undefined;
  const before = steps[steps.length - 2];
  const firstTryOfRate = before?.offeredRatePerS !== last.offeredRatePerS;
  if (!last.keptUp && firstTryOfRate) return last.offeredRatePerS;
  const climbing = steps.some((step) => step.offeredRatePerS === plan.startRatePerS && step.keptUp);
  if (climbing) return last.keptUp ? last.offeredRatePerS * plan.growthFactor : undefined;
  const lower = last.offeredRatePerS / plan.growthFactor;
  return last.keptUp || lower < plan.rateMinPerS ? undefined : lower;
}
