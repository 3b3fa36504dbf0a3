// The wait budget against a model of the pipeline: open-loop arrivals, a FIFO executor of fixed
// capacity that may stall, and admission deciding from a sample taken every sampling interval, as
// BacklogSampler and AdmissionService do. One order per payment, so outcomes are payments.
import { decideAdmission, type AdmissionLimits, type ChargeBacklogSample } from './admission-decision';
import { chargedPaymentsPerS, chargeOutcomesCap, type ChargeRateWindow } from './charge-rate';

const SAMPLE_MS = 250;

/** The service's defaults. */
const LIMITS: AdmissionLimits = {
  maxConcurrentCreates: 16,
  maxPendingPayments: 2_000,
  maxChargeWaitMs: 60_000,
  pendingLimitFloor: 50,
  sampleMaxAgeMs: SAMPLE_MS * 20,
  retryAfterMaxS: 30,
};
const WINDOW_MS = 60_000;

interface Phase {
  readonly untilS: number;
  readonly arrivalsPerS: number;
  readonly executorUp: boolean;
}

interface Run {
  readonly offered: number;
  readonly refused: number;
  /** Seconds from the first refusal since the start of the first stall, if any. */
  readonly firstRefusalS: number | undefined;
  /** Longest time an admitted payment waited for its charge outcome. */
  readonly maxWaitS: number;
}

function sampleOf(
  nowMs: number,
  queue: readonly number[],
  outcomesAtMs: readonly number[],
  window: ChargeRateWindow,
  limits: AdmissionLimits,
): ChargeBacklogSample {
  const inWindow = outcomesAtMs.filter((atMs) => atMs > nowMs - window.windowMs);
  const read = inWindow.slice(-window.outcomesCap);
  const oldest = read[0];
  const recent = {
    outcomes: read.length,
    payments: read.length,
    oldestAgeMs: oldest === undefined ? undefined : nowMs - oldest,
  };
  return {
    pendingPayments: Math.min(queue.length, limits.maxPendingPayments * 2),
    chargedPerS: chargedPaymentsPerS(recent, window),
    oldestPendingAgeMs: queue[0] === undefined ? 0 : nowMs - queue[0],
    sampledAtMs: nowMs,
  };
}

/** Runs the phases one sampling interval at a time; the executor charges `capacityPerS` when up. */
function simulate(phases: readonly Phase[], capacityPerS: number, limits: AdmissionLimits = LIMITS): Run {
  const window = {
    windowMs: WINDOW_MS,
    outcomesCap: chargeOutcomesCap(limits.maxPendingPayments, WINDOW_MS, limits.maxChargeWaitMs),
  };
  const queue: number[] = [];
  const outcomesAtMs: number[] = [];
  let stalledSinceMs: number | undefined;
  let arrivalsOwed = 0;
  let chargesOwed = 0;
  let offered = 0;
  let refused = 0;
  let firstRefusalS: number | undefined;
  let maxWaitMs = 0;
  for (let nowMs = 0; ; nowMs += SAMPLE_MS) {
    const phase = phases.find((candidate) => nowMs < candidate.untilS * 1_000);
    if (phase === undefined) break;
    if (!phase.executorUp) stalledSinceMs ??= nowMs;
    const sample = sampleOf(nowMs, queue, outcomesAtMs, window, limits);
    arrivalsOwed += (phase.arrivalsPerS * SAMPLE_MS) / 1_000;
    for (; arrivalsOwed >= 1; arrivalsOwed -= 1) {
      offered += 1;
      if (decideAdmission({ createsInFlight: 0, backlog: sample, nowMs }, limits).admitted) {
        queue.push(nowMs);
      } else {
        refused += 1;
        if (stalledSinceMs !== undefined) firstRefusalS ??= (nowMs - stalledSinceMs) / 1_000;
      }
    }
    if (!phase.executorUp) continue;
    const doneAtMs = nowMs + SAMPLE_MS;
    chargesOwed = Math.min(chargesOwed + (capacityPerS * SAMPLE_MS) / 1_000, queue.length);
    for (; chargesOwed >= 1; chargesOwed -= 1) {
      const admittedAtMs = queue.shift();
      if (admittedAtMs === undefined) break;
      maxWaitMs = Math.max(maxWaitMs, doneAtMs - admittedAtMs);
      outcomesAtMs.push(doneAtMs);
    }
  }
  return { offered, refused, firstRefusalS, maxWaitS: maxWaitMs / 1_000 };
}

/** Steady traffic with the executor down from `stallFromS` for `stallS` seconds, then a minute more. */
function stall(arrivalsPerS: number, stallFromS: number, stallS: number): Phase[] {
  return [
    { untilS: stallFromS, arrivalsPerS, executorUp: true },
    { untilS: stallFromS + stallS, arrivalsPerS, executorUp: false },
    { untilS: stallFromS + stallS + 60, arrivalsPerS, executorUp: true },
  ];
}

describe('the charge wait budget (model)', () => {
  const CAPACITY_PER_S = 50;

  it('refuses no checkout at half the capacity through a 10 s executor kill and 5 s to regroup', () => {
    const run = simulate(stall(25, 90, 15), CAPACITY_PER_S);
    expect(run.offered).toBe(25 * 165);
    expect(run.refused).toBe(0);
    expect(run.maxWaitS).toBeLessThan(30);
  });

  it('refuses no checkout when traffic starts before the executor has charged anything (a cold start)', () => {
    const coldStart: Phase[] = [
      { untilS: 5, arrivalsPerS: 25, executorUp: false },
      { untilS: 65, arrivalsPerS: 25, executorUp: true },
    ];
    expect(simulate(coldStart, CAPACITY_PER_S).refused).toBe(0);
  });

  it('rides out a stall up to about half the budget whatever the rate, and sheds past it', () => {
    expect(simulate(stall(10, 90, 28), CAPACITY_PER_S).refused).toBe(0);
    expect(simulate(stall(25, 90, 28), CAPACITY_PER_S).refused).toBe(0);
    const sessionTimeout = simulate(stall(25, 90, 40), CAPACITY_PER_S);
    expect(sessionTimeout.refused).toBeGreaterThan(0);
    expect(sessionTimeout.firstRefusalS).toBeGreaterThanOrEqual(29);
  });

  it('sheds at twice the capacity and keeps the wait of admitted payments within the budget', () => {
    const phases: Phase[] = [
      { untilS: 60, arrivalsPerS: 25, executorUp: true },
      { untilS: 360, arrivalsPerS: 100, executorUp: true },
    ];
    const capped = simulate(phases, CAPACITY_PER_S);
    expect(capped.refused / capped.offered).toBeGreaterThan(0.3);
    // The cap binds first at this rate: 2,000 payments are 40 s of charging.
    expect(capped.maxWaitS).toBeLessThanOrEqual(41);
    const byBudget = simulate(phases, CAPACITY_PER_S, { ...LIMITS, maxPendingPayments: 100_000 });
    expect(byBudget.refused / byBudget.offered).toBeGreaterThan(0.3);
    expect(byBudget.maxWaitS).toBeLessThanOrEqual(61);
  });
});
