import { keepUpVerdict, nextRampRate, sustainedMaxRate, type StepSignals } from './step-decision';

const CRITERIA = { completedShareMin: 0.9, e2eP99MsMax: 2_000, backlogGrowthSMax: 2 };
const HEALTHY: StepSignals = {
  offeredRatePerS: 20,
  sent: 600,
  completed: 600,
  e2eP99Ms: 300,
  pipelineBacklogStart: 0,
  pipelineBacklogEnd: 5,
};

describe('keepUpVerdict', () => {
  it('keeps up when payments complete, quickly, and the backlog stays flat', () => {
    expect(keepUpVerdict(HEALTHY, CRITERIA)).toEqual({ keptUp: true, reasons: [] });
  });

  it('falls behind when fewer than 90 % complete', () => {
    const verdict = keepUpVerdict({ ...HEALTHY, completed: 539 }, CRITERIA);
    expect(verdict.keptUp).toBe(false);
    expect(verdict.reasons).toEqual(['completed 89.8 % < 90 %']);
  });

  it('falls behind when e2e p99 is over the bound or never came', () => {
    expect(keepUpVerdict({ ...HEALTHY, e2eP99Ms: 2_001 }, CRITERIA).keptUp).toBe(false);
    expect(keepUpVerdict({ ...HEALTHY, e2eP99Ms: Infinity }, CRITERIA).keptUp).toBe(false);
    expect(keepUpVerdict({ ...HEALTHY, e2eP99Ms: undefined }, CRITERIA).keptUp).toBe(false);
  });

  it('falls behind when the backlog grows by more than the allowed seconds of arrivals', () => {
    expect(keepUpVerdict({ ...HEALTHY, pipelineBacklogEnd: 40 }, CRITERIA).keptUp).toBe(true);
    expect(keepUpVerdict({ ...HEALTHY, pipelineBacklogEnd: 41 }, CRITERIA).reasons).toEqual([
      'backlog grew by 41 (> 40)',
    ]);
  });

  it('does not count an empty step as kept up', () => {
    expect(keepUpVerdict({ ...HEALTHY, sent: 0, completed: 0 }, CRITERIA).keptUp).toBe(false);
  });
});

describe('ramp', () => {
  const steps = [
    { offeredRatePerS: 10, keptUp: true },
    { offeredRatePerS: 15, keptUp: true },
    { offeredRatePerS: 22.5, keptUp: false },
  ];

  it('takes the highest step that kept up as the sustained maximum', () => {
    expect(sustainedMaxRate(steps)).toBe(15);
    expect(sustainedMaxRate([{ offeredRatePerS: 10, keptUp: false }])).toBeUndefined();
  });

  const plan = { startRatePerS: 10, growthFactor: 2, stepsMax: 5, rateMinPerS: 1 };
  const step = (offeredRatePerS: number, keptUp: boolean) => ({ offeredRatePerS, keptUp });

  it('climbs by the growth factor while steps keep up and stops at the first rate that falls behind twice', () => {
    expect(nextRampRate([], plan)).toBe(10);
    expect(nextRampRate([step(10, true), step(20, true)], plan)).toBe(40);
    expect(nextRampRate([step(10, true), step(20, false)], plan)).toBe(20);
    expect(nextRampRate([step(10, true), step(20, false), step(20, true)], plan)).toBe(40);
    expect(nextRampRate([step(10, true), step(20, false), step(20, false)], plan)).toBeUndefined();
  });

  it('climbs on when the start rate kept up at its second try', () => {
    expect(nextRampRate([step(10, false)], plan)).toBe(10);
    expect(nextRampRate([step(10, false), step(10, true)], plan)).toBe(20);
  });

  it('descends from a start rate that falls behind twice until a step keeps up or the floor', () => {
    expect(nextRampRate([step(10, false), step(10, false)], plan)).toBe(5);
    expect(nextRampRate([step(10, false), step(10, false), step(5, true)], plan)).toBeUndefined();
    expect(nextRampRate([step(10, false), step(10, false), step(5, false)], plan)).toBe(5);
    expect(
      nextRampRate([step(10, false), step(10, false), step(5, false), step(5, false)], {
        ...plan,
        rateMinPerS: 4,
      }),
    ).toBeUndefined();
  });

  it('stops at the step budget', () => {
    expect(nextRampRate([step(10, true), step(20, true)], { ...plan, stepsMax: 2 })).toBeUndefined();
  });
});
