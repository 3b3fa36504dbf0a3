import { setTimeout as sleep } from 'node:timers/promises';
import { plannedCount, runOpenLoop, scheduledAtMs } from './open-loop';

describe('open-loop schedule', () => {
  const plan = { ratePerSecond: 4, durationS: 2.5, startMs: 1_000 };

  it('sends rate × duration requests', () => {
    expect(plannedCount(plan)).toBe(10);
  });

  it('spaces requests 1/rate apart from the start, whatever the answers take', () => {
    expect([0, 1, 9].map((index) => scheduledAtMs(plan, index))).toEqual([1_000, 1_250, 3_250]);
  });

  it('sends nothing more once its signal aborts, and still awaits the sends already made', async () => {
    const stop = new AbortController();
    const settled: number[] = [];
    await runOpenLoop(
      { ratePerSecond: 200, durationS: 60, startMs: Date.now() },
      async (index) => {
        if (index === 2) stop.abort();
        await sleep(20);
        settled.push(index);
      },
      stop.signal,
    );
    expect(settled.sort((a, b) => a - b)).toEqual([0, 1, 2]);
  });
});
