import { equalJitterDelayMs, exponentialDelayMs, fullJitterDelayMs } from './backoff';

const settings = { initialDelayMs: 100, maxDelayMs: 1_000 };
const ceilings = [100, 200, 400, 800, 1_000, 1_000];

describe('exponentialDelayMs', () => {
  it('doubles from the initial delay and stops at the maximum', () => {
    expect(ceilings.map((_, step) => exponentialDelayMs(step, settings))).toEqual(ceilings);
    expect(exponentialDelayMs(60, settings)).toBe(1_000);
  });

  it('treats a negative step as the first', () => {
    expect(exponentialDelayMs(-3, settings)).toBe(100);
  });
});

describe('fullJitterDelayMs', () => {
  it('draws from [0, ceiling)', () => {
    ceilings.forEach((ceiling, step) => {
      expect(fullJitterDelayMs(step, settings, () => 0)).toBe(0);
      expect(fullJitterDelayMs(step, settings, () => 0.5)).toBe(Math.floor(ceiling / 2));
      expect(fullJitterDelayMs(step, settings, () => 0.999_999)).toBe(ceiling - 1);
    });
  });
});

describe('equalJitterDelayMs', () => {
  it('draws from [ceiling / 2, ceiling]', () => {
    ceilings.forEach((ceiling, step) => {
      expect(equalJitterDelayMs(step, settings, () => 0)).toBe(Math.floor(ceiling / 2));
      expect(equalJitterDelayMs(step, settings, () => 0.5)).toBe(Math.floor((ceiling * 3) / 4));
      expect(equalJitterDelayMs(step, settings, () => 0.999_999)).toBe(ceiling - 1);
    });
  });

  it('never exceeds the maximum however many steps were taken', () => {
    for (let step = 0; step < 60; step += 1) {
      expect(equalJitterDelayMs(step, settings, Math.random)).toBeLessThanOrEqual(1_000);
    }
  });
});
