import type { AttemptOutcome } from './attempt-signal';
import type { DetectionRule } from './detection-rule';
import { Detector, type DetectionInputs } from './detector';
import { SignalWindows } from './signal-window';

const troubleRule: DetectionRule = {
  id: 'psp-trouble',
  kind: 'trouble_rate',
  level: 'psp',
  threshold: 0.3,
  windowMs: 10_000,
  minVolume: 20,
  cooldownMs: 60_000,
  response: 'auto_act',
};

function windowsWith(
  entries: readonly {
    pspId: string;
    atMs: number;
    outcome: AttemptOutcome;
    count: number;
    provider?: string;
  }[],
): SignalWindows {
  const windows = new SignalWindows({
    bucketMs: 1_000,
    horizonMs: 700_000,
    distinctErrorsMax: 10,
    scopesMax: 100,
  });
  for (const entry of entries) {
    for (let i = 0; i < entry.count; i += 1)
      windows.add({
        atMs: entry.atMs,
        pspId: entry.pspId,
        methodType: 'card',
        provider: entry.provider ?? 'shinhan',
        outcome: entry.outcome,
        latencyMs: 50,
        errorMessage: entry.outcome === 'approved' ? undefined : 'gateway error',
      });
  }
  return windows;
}

const inputs = (
  windows: SignalWindows,
  nowMs: number,
  extra: Partial<DetectionInputs> = {},
): DetectionInputs => ({
  nowMs,
  windows,
  breakers: [],
  pipeline: [],
  ...extra,
});

describe('Detector', () => {
  it('fires once when a PSP fails over its threshold with enough volume, naming its scope', () => {
    const windows = windowsWith([
      { pspId: 'acme', atMs: 5_000, outcome: 'failed', count: 15 },
      { pspId: 'acme', atMs: 5_000, outcome: 'approved', count: 10 },
      { pspId: 'nova', atMs: 5_000, outcome: 'approved', count: 30 },
    ]);
    const detector = new Detector([troubleRule]);

    const changes = detector.evaluate(inputs(windows, 9_000));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      kind: 'fired',
      firing: {
        scope: { level: 'psp', pspId: 'acme' },
        firedAtMs: 9_000,
        latest: { observed: 0.6, volume: 25 },
      },
    });
    expect(detector.evaluate(inputs(windows, 9_500))).toEqual([]);
    expect(detector.firing()).toHaveLength(1);
  });

  it('ignores a blip under the minimum volume and declines, however many', () => {
    const windows = windowsWith([
      { pspId: 'acme', atMs: 5_000, outcome: 'failed', count: 19 },
      { pspId: 'nova', atMs: 5_000, outcome: 'declined', count: 200 },
    ]);
    expect(new Detector([troubleRule]).evaluate(inputs(windows, 9_000))).toEqual([]);
  });

  it('stays firing while weights keep traffic away, recovers on probe traffic, then keeps quiet for the cool-down', () => {
    const windows = windowsWith([{ pspId: 'acme', atMs: 5_000, outcome: 'failed', count: 30 }]);
    const detector = new Detector([troubleRule]);
    expect(detector.evaluate(inputs(windows, 9_000))).toHaveLength(1);
    // No traffic at all: nothing shows recovery.
    expect(detector.evaluate(inputs(windows, 30_000))).toEqual([]);
    // Probe traffic: 5 approvals, a quarter of the minimum volume.
    for (let i = 0; i < 5; i += 1)
      windows.add({
        atMs: 40_000,
        pspId: 'acme',
        methodType: 'card',
        provider: 'shinhan',
        outcome: 'approved',
        latencyMs: 40,
      });
    const recovered = detector.evaluate(inputs(windows, 41_000));
    expect(recovered).toMatchObject([
      { kind: 'recovered', recoveredAtMs: 41_000, firing: { firedAtMs: 9_000 } },
    ]);
    // Failing again inside the cool-down: quiet; after it: fires again.
    for (let i = 0; i < 30; i += 1)
      windows.add({
        atMs: 50_000,
        pspId: 'acme',
        methodType: 'card',
        provider: 'shinhan',
        outcome: 'failed',
        latencyMs: 40,
      });
    expect(detector.evaluate(inputs(windows, 51_000))).toEqual([]);
    for (let i = 0; i < 30; i += 1)
      windows.add({
        atMs: 105_000,
        pspId: 'acme',
        methodType: 'card',
        provider: 'shinhan',
        outcome: 'failed',
        latencyMs: 40,
      });
    expect(detector.evaluate(inputs(windows, 106_000))).toMatchObject([{ kind: 'fired' }]);
  });

  it('recovers a dominant error once the provider is approved again, though no failure is left to share', () => {
    const rule: DetectionRule = {
      id: 'provider-dominant-error',
      kind: 'dominant_error',
      level: 'provider',
      threshold: 0.8,
      windowMs: 10_000,
      minVolume: 20,
      cooldownMs: 60_000,
      response: 'alert_only',
    };
    const detector = new Detector([rule]);
    const failing = windowsWith([{ pspId: 'acme', atMs: 1_000, outcome: 'failed', count: 20 }]);
    expect(detector.evaluate(inputs(failing, 2_000))).toMatchObject([{ kind: 'fired' }]);
    // The failures have left the window; the provider's attempts are all approved now.
    const approved = windowsWith([
      { pspId: 'acme', atMs: 1_000, outcome: 'failed', count: 20 },
      { pspId: 'acme', atMs: 14_000, outcome: 'approved', count: 4 },
    ]);
    expect(detector.evaluate(inputs(approved, 14_500))).toEqual([]);
    approved.add({
      atMs: 14_000,
      pspId: 'acme',
      methodType: 'card',
      provider: 'shinhan',
      outcome: 'approved',
      latencyMs: 50,
      errorMessage: undefined,
    });
    expect(detector.evaluate(inputs(approved, 14_500))).toMatchObject([
      { kind: 'recovered', firing: { latest: { volume: 0, recoveryVolume: 5 } } },
    ]);
  });

  it('sees the approval ratio fall only while attempts hold', () => {
    const rule: DetectionRule = {
      id: 'approval-drop',
      kind: 'approval_drop',
      level: 'psp',
      threshold: 0.25,
      windowMs: 60_000,
      baselineWindowMs: 600_000,
      minVolume: 20,
      cooldownMs: 0,
      response: 'alert_only',
    };
    const baseline = Array.from({ length: 10 }, (_, minute) => [
      { pspId: 'acme', atMs: minute * 60_000 + 1_000, outcome: 'approved' as const, count: 90 },
      { pspId: 'acme', atMs: minute * 60_000 + 1_000, outcome: 'declined' as const, count: 10 },
    ]).flat();
    const falling = windowsWith([
      ...baseline,
      { pspId: 'acme', atMs: 601_000, outcome: 'approved', count: 40 },
      { pspId: 'acme', atMs: 601_000, outcome: 'declined', count: 60 },
    ]);
    const [change] = new Detector([rule]).evaluate(inputs(falling, 660_000));
    expect(change).toMatchObject({ kind: 'fired' });
    expect(change?.firing.latest.observed).toBeCloseTo(0.5);
    const thinning = windowsWith([
      ...baseline,
      { pspId: 'acme', atMs: 601_000, outcome: 'approved', count: 5 },
      { pspId: 'acme', atMs: 601_000, outcome: 'declined', count: 25 },
    ]);
    expect(new Detector([rule]).evaluate(inputs(thinning, 660_000))).toEqual([]);
  });

  it('fires state rules while the state holds: an open breaker, a pipeline over its threshold', () => {
    const rules: DetectionRule[] = [
      {
        id: 'breaker',
        kind: 'breaker_open',
        threshold: 0,
        windowMs: 0,
        minVolume: 0,
        cooldownMs: 0,
        response: 'alert_only',
      },
      {
        id: 'lag',
        kind: 'pipeline_lag',
        threshold: 1_000,
        windowMs: 0,
        minVolume: 0,
        cooldownMs: 0,
        response: 'alert_only',
      },
    ];
    const detector = new Detector(rules);
    const windows = windowsWith([]);
    const fired = detector.evaluate(
      inputs(windows, 1_000, {
        breakers: [
          { pspId: 'acme', state: 'open' },
          { pspId: 'nova', state: 'half_open' },
        ],
        pipeline: [
          { service: 'wallet', backlogRecords: 5_000 },
          { service: 'ledger', backlogRecords: 999 },
        ],
      }),
    );
    expect(fired.map((change) => [change.kind, change.firing.scope])).toEqual([
      ['fired', { level: 'psp', pspId: 'acme' }],
      ['fired', { level: 'service', service: 'wallet' }],
    ]);
    const recovered = detector.evaluate(
      inputs(windows, 2_000, { breakers: [{ pspId: 'acme', state: 'closed' }] }),
    );
    expect(recovered.map((change) => change.kind)).toEqual(['recovered', 'recovered']);
  });

  it("recovers a rule's firings once the rule is taken out", () => {
    const windows = windowsWith([{ pspId: 'acme', atMs: 5_000, outcome: 'failed', count: 30 }]);
    const detector = new Detector([troubleRule]);
    detector.evaluate(inputs(windows, 9_000));
    detector.replaceRules([]);
    expect(detector.evaluate(inputs(windows, 9_500))).toMatchObject([{ kind: 'recovered' }]);
    expect(detector.firing()).toEqual([]);
  });
});
