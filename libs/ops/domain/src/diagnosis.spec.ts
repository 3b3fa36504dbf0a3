import type { AttemptOutcome, DetectionScope } from './attempt-signal';
import type { DetectionRule } from './detection-rule';
import type { Firing } from './detector';
import { diagnose } from './diagnosis';
import { SignalWindows } from './signal-window';

const rule = (
  level: DetectionRule['level'],
  kind: DetectionRule['kind'] = 'trouble_rate',
): DetectionRule => ({
  id: 'rule',
  kind,
  level,
  threshold: 0.3,
  windowMs: 10_000,
  minVolume: 20,
  cooldownMs: 0,
  response: 'auto_act',
});

const NOW = 9_000;

/** `[psp, provider, outcome, count]` at 5 s. */
function traffic(rows: readonly [string, string, AttemptOutcome, number][]): SignalWindows {
  const windows = new SignalWindows({
    bucketMs: 1_000,
    horizonMs: 60_000,
    distinctErrorsMax: 10,
    scopesMax: 1_000,
  });
  for (const [pspId, provider, outcome, count] of rows)
    for (let i = 0; i < count; i += 1)
      windows.add({ atMs: 5_000, pspId, methodType: 'card', provider, outcome, latencyMs: 30 });
  return windows;
}

const firing = (
  scope: DetectionScope,
  level: DetectionRule['level'],
  kind?: DetectionRule['kind'],
): Firing => ({
  rule: rule(level, kind),
  scope,
  firedAtMs: NOW,
  latest: { observed: 1, volume: 100, breached: true },
});

/** The diagnosis of the provider-level firing of a card issuer. */
const diagnoseCardProvider = (provider: string, windows: SignalWindows) =>
  diagnose(firing({ level: 'provider', methodType: 'card', provider }, 'provider'), windows, NOW);

describe('diagnose', () => {
  it('finds one PSP down for every issuer while another serves', () => {
    const windows = traffic([
      ['acme', 'shinhan', 'failed', 30],
      ['acme', 'kb', 'failed', 30],
      ['nova', 'shinhan', 'approved', 30],
      ['nova', 'kb', 'approved', 30],
    ]);
    expect(diagnose(firing({ level: 'psp', pspId: 'acme' }, 'psp'), windows, NOW)).toEqual({
      kind: 'psp_down',
      pspId: 'acme',
      healthyPsps: ['nova'],
    });
  });

  it("narrows a PSP's trouble to the one issuer failing there", () => {
    const windows = traffic([
      ['acme', 'shinhan', 'failed', 60],
      ['acme', 'kb', 'approved', 30],
      ['nova', 'shinhan', 'approved', 30],
    ]);
    expect(diagnose(firing({ level: 'psp', pspId: 'acme' }, 'psp'), windows, NOW)).toEqual({
      kind: 'provider_at_psps',
      methodType: 'card',
      provider: 'shinhan',
      pspIds: ['acme'],
      healthyPsps: ['nova'],
    });
  });

  it('finds an issuer failing at every PSP while its siblings work', () => {
    const windows = traffic([
      ['acme', 'shinhan', 'failed', 30],
      ['nova', 'shinhan', 'failed', 30],
      ['acme', 'kb', 'approved', 30],
      ['nova', 'hana', 'approved', 30],
    ]);
    expect(diagnoseCardProvider('shinhan', windows)).toEqual({
      kind: 'provider_down',
      methodType: 'card',
      provider: 'shinhan',
      failingAt: ['acme', 'nova'],
      healthyProviders: ['hana', 'kb'],
    });
  });

  it('finds an issuer failing at every PSP from the last seconds, though approvals before still fill the window', () => {
    const windows = new SignalWindows({
      bucketMs: 1_000,
      horizonMs: 60_000,
      distinctErrorsMax: 10,
      scopesMax: 1_000,
    });
    const add = (atMs: number, pspId: string, provider: string, outcome: AttemptOutcome, count: number) => {
      for (let i = 0; i < count; i += 1)
        windows.add({ atMs, pspId, methodType: 'card', provider, outcome, latencyMs: 30 });
    };
    // Before the fault: shinhan approved, mostly at acme. Since 7 s: shinhan fails at both PSPs.
    add(1_000, 'acme', 'shinhan', 'approved', 20);
    add(1_000, 'nova', 'shinhan', 'approved', 2);
    add(8_000, 'acme', 'shinhan', 'failed', 6);
    add(8_000, 'nova', 'shinhan', 'failed', 20);
    add(8_000, 'acme', 'kb', 'approved', 30);
    add(8_000, 'nova', 'kb', 'approved', 30);
    const scope = { level: 'provider', methodType: 'card', provider: 'shinhan' } as const;

    expect(diagnose(firing(scope, 'provider'), windows, NOW)).toEqual({
      kind: 'provider_down',
      methodType: 'card',
      provider: 'shinhan',
      failingAt: ['acme', 'nova'],
      healthyProviders: ['kb'],
    });
  });

  it('leaves an issuer seen failing only at a PSP that fails for every issuer to that PSP', () => {
    // acme is down for everyone; kb's traffic went mostly to acme, too little of it to nova to judge.
    const windows = traffic([
      ['acme', 'kb', 'failed', 30],
      ['acme', 'shinhan', 'failed', 30],
      ['nova', 'kb', 'approved', 2],
      ['nova', 'shinhan', 'approved', 30],
    ]);
    const scope = { level: 'provider', methodType: 'card', provider: 'kb' } as const;

    expect(diagnoseCardProvider('kb', windows)).toEqual({ kind: 'not_routable', scope });
    const atAcme = { level: 'psp_provider', pspId: 'acme', methodType: 'card', provider: 'kb' } as const;
    expect(diagnose(firing(atAcme, 'psp_provider'), windows, NOW)).toEqual({
      kind: 'not_routable',
      scope: atAcme,
    });
  });

  it('leaves it to the PSP too when a PSP-wide fault left its other issuers just under the threshold', () => {
    const windows = traffic([
      ['acme', 'hyundai', 'failed', 16],
      ['acme', 'hyundai', 'approved', 14],
      ['acme', 'kb', 'unknown', 6],
      ['acme', 'kb', 'approved', 24],
      ['nova', 'kb', 'approved', 30],
    ]);
    expect(diagnoseCardProvider('hyundai', windows)).toEqual({
      kind: 'not_routable',
      scope: { level: 'provider', methodType: 'card', provider: 'hyundai' },
    });
  });

  it('switches nothing off for an issuer whose failures reached no PSP to judge by', () => {
    const windows = new SignalWindows({
      bucketMs: 1_000,
      horizonMs: 60_000,
      distinctErrorsMax: 10,
      scopesMax: 1_000,
    });
    // Four failed attempts at each of three PSPs: enough for the issuer's own window, too few at each PSP.
    for (const pspId of ['acme', 'nova', 'swiftpay'])
      for (let i = 0; i < 4; i += 1)
        windows.add({
          atMs: 5_000,
          pspId,
          methodType: 'card',
          provider: 'kb',
          outcome: 'failed',
          latencyMs: 30,
        });
    for (let i = 0; i < 30; i += 1)
      windows.add({
        atMs: 5_000,
        pspId: 'acme',
        methodType: 'card',
        provider: 'hana',
        outcome: 'approved',
        latencyMs: 30,
      });
    const scope = { level: 'provider', methodType: 'card', provider: 'kb' } as const;

    expect(diagnose(firing(scope, 'provider'), windows, NOW)).toEqual({ kind: 'not_routable', scope });
  });

  it('still finds an issuer down when one of the PSPs it fails at is down for everyone as well', () => {
    const windows = traffic([
      ['acme', 'shinhan', 'failed', 30],
      ['acme', 'kb', 'failed', 30],
      ['nova', 'shinhan', 'failed', 30],
      ['nova', 'kb', 'approved', 90],
    ]);

    expect(diagnoseCardProvider('shinhan', windows)).toEqual({
      kind: 'provider_down',
      methodType: 'card',
      provider: 'shinhan',
      failingAt: ['acme', 'nova'],
      healthyProviders: ['kb'],
    });
  });

  it('narrows an issuer failing at two PSPs, one of them down for everyone, to the other one', () => {
    const windows = traffic([
      ['acme', 'shinhan', 'failed', 30],
      ['acme', 'kb', 'failed', 30],
      ['nova', 'shinhan', 'failed', 30],
      ['nova', 'kb', 'approved', 30],
      ['swiftpay', 'shinhan', 'approved', 30],
    ]);

    expect(diagnoseCardProvider('shinhan', windows)).toEqual({
      kind: 'provider_at_psps',
      methodType: 'card',
      provider: 'shinhan',
      pspIds: ['nova'],
      healthyPsps: ['swiftpay'],
    });
  });

  it('calls it widespread when every PSP or every issuer fails alike, and leaves other kinds to people', () => {
    const windows = traffic([
      ['acme', 'shinhan', 'failed', 30],
      ['nova', 'kb', 'failed', 30],
    ]);
    expect(diagnose(firing({ level: 'psp', pspId: 'acme' }, 'psp'), windows, NOW)).toMatchObject({
      kind: 'widespread',
    });
    expect(diagnoseCardProvider('shinhan', windows)).toMatchObject({ kind: 'widespread' });
    expect(
      diagnose(firing({ level: 'psp', pspId: 'acme' }, 'psp', 'latency_percentile'), windows, NOW),
    ).toEqual({
      kind: 'not_routable',
      scope: { level: 'psp', pspId: 'acme' },
    });
  });
});
