import type { AttemptSignal } from './attempt-signal';
import { OTHER_ERRORS, ScopeWindow, SignalWindows, type WindowSettings } from './signal-window';

const SETTINGS: WindowSettings = { bucketMs: 1_000, horizonMs: 60_000, distinctErrorsMax: 2, scopesMax: 100 };

function attempt(atMs: number, overrides: Partial<AttemptSignal> = {}): AttemptSignal {
  return {
    atMs,
    pspId: 'acme',
    methodType: 'card',
    provider: 'shinhan',
    outcome: 'approved',
    latencyMs: 40,
    ...overrides,
  };
}

describe('ScopeWindow', () => {
  it('counts outcomes of whole buckets inside the window and nothing older', () => {
    const window = new ScopeWindow(SETTINGS);
    window.add(attempt(1_000, { outcome: 'failed' }));
    window.add(attempt(9_500, { outcome: 'approved' }));
    window.add(attempt(9_900, { outcome: 'unknown' }));
    window.add(attempt(10_100, { outcome: 'declined' }));

    const lastTen = window.totals(10_999, 10_000);
    expect(lastTen.attempts).toBe(4);
    const lastFive = window.totals(10_999, 5_000);
    expect(lastFive.counts).toEqual({ approved: 1, declined: 1, failed: 0, unknown: 1 });
    expect(lastFive.troubleRate).toBeCloseTo(1 / 3);
    expect(lastFive.approvalRate).toBeCloseTo(1 / 3);
    expect(window.totals(10_999, 1_000).attempts).toBe(1);
  });

  it('forgets what the ring has wrapped past', () => {
    const window = new ScopeWindow(SETTINGS);
    window.add(attempt(0, { outcome: 'failed' }));
    window.add(attempt(70_000));
    expect(window.totals(70_000, 60_000).counts.failed).toBe(0);
    // A signal older than the horizon that arrives late is dropped, not counted in a reused bucket.
    window.add(attempt(5_000, { outcome: 'failed' }));
    expect(window.totals(70_000, 60_000).counts.failed).toBe(0);
    expect(window.totals(70_000, 60_000).attempts).toBe(1);
  });

  it('names the dominant message among the attempts not approved, bounding distinct messages', () => {
    const window = new ScopeWindow(SETTINGS);
    for (let i = 0; i < 6; i += 1)
      window.add(attempt(1_000, { outcome: 'declined', errorMessage: 'issuer maintenance' }));
    window.add(attempt(1_000, { outcome: 'failed', errorMessage: 'timeout' }));
    window.add(attempt(1_000, { outcome: 'failed', errorMessage: 'bad gateway' }));
    window.add(attempt(1_000, { outcome: 'failed', errorMessage: 'reset' }));
    window.add(attempt(1_000, { outcome: 'approved' }));

    const totals = window.totals(1_999, 1_000);
    expect(totals.topError).toEqual({ message: 'issuer maintenance', count: 6, share: 6 / 9 });
    const third = new ScopeWindow(SETTINGS);
    third.add(attempt(1_000, { outcome: 'failed', errorMessage: 'a' }));
    third.add(attempt(1_000, { outcome: 'failed', errorMessage: 'b' }));
    third.add(attempt(1_000, { outcome: 'failed', errorMessage: 'c' }));
    third.add(attempt(1_000, { outcome: 'failed', errorMessage: 'd' }));
    expect(third.totals(1_999, 1_000).topError).toEqual({ message: OTHER_ERRORS, count: 2, share: 0.5 });
  });

  it('reads latency percentiles from its histogram', () => {
    const window = new ScopeWindow(SETTINGS);
    for (let i = 0; i < 90; i += 1) window.add(attempt(1_000, { latencyMs: 30 }));
    for (let i = 0; i < 10; i += 1) window.add(attempt(1_000, { latencyMs: 7_000 }));
    const totals = window.totals(1_999, 1_000);
    expect(totals.latencyPercentileMs(0.5)).toBe(50);
    expect(totals.latencyPercentileMs(0.95)).toBe(10_000);
    window.add(attempt(1_000, { latencyMs: 60_000 }));
    expect(window.totals(1_999, 1_000).latencyPercentileMs(1)).toBe(Infinity);
    expect(new ScopeWindow(SETTINGS).totals(0, 1_000).latencyPercentileMs(0.99)).toBe(0);
  });
});

describe('SignalWindows', () => {
  it('counts a signal at its PSP, its provider and the provider at that PSP', () => {
    const windows = new SignalWindows(SETTINGS);
    windows.add(attempt(1_000, { pspId: 'acme', provider: 'shinhan' }));
    windows.add(attempt(1_000, { pspId: 'nova', provider: 'shinhan' }));
    expect(windows.find({ level: 'psp', pspId: 'acme' })?.totals(1_999, 1_000).attempts).toBe(1);
    expect(
      windows.find({ level: 'provider', methodType: 'card', provider: 'shinhan' })?.totals(1_999, 1_000)
        .attempts,
    ).toBe(2);
    expect(
      windows
        .find({ level: 'psp_provider', pspId: 'nova', methodType: 'card', provider: 'shinhan' })
        ?.totals(1_999, 1_000).attempts,
    ).toBe(1);
    expect([...windows.entries()]).toHaveLength(5);
  });

  it('keeps at most scopesMax scopes, dropping the one updated longest ago', () => {
    const windows = new SignalWindows({ ...SETTINGS, scopesMax: 3 });
    windows.add(attempt(1_000, { pspId: 'acme' }));
    windows.add(attempt(2_000, { pspId: 'nova', provider: 'kb' }));
    expect([...windows.entries()].map((entry) => entry.scope.level)).toEqual([
      'psp',
      'provider',
      'psp_provider',
    ]);
    expect(windows.find({ level: 'psp', pspId: 'nova' })).toBeDefined();
    expect(windows.find({ level: 'psp', pspId: 'acme' })).toBeUndefined();
  });
});
