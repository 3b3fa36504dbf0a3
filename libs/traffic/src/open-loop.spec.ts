import { plannedCount, scheduledAtMs } from './open-loop';

describe('open-loop schedule', () => {
  const plan = { ratePerSecond: 4, durationS: 2.5, startMs: 1_000 };

  it('sends rate × duration requests', () => {
    expect(plannedCount(plan)).toBe(10);
  });

  it('spaces requests 1/rate apart from the start, whatever the answers take', () => {
    expect([0, 1, 9].map((index) => scheduledAtMs(plan, index))).toEqual([1_000, 1_250, 3_250]);
  });
});
