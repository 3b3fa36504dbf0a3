import { planMitigation, planRestore, routesOf, type Route } from './routing-plan';

const route = (methodType: string, provider: string, pspId: string, weight: number): Route => ({
  methodType,
  provider,
  pspId,
  weight,
  enabled: true,
});

const ROUTES: Route[] = [
  route('card', '*', 'acme', 60),
  route('card', '*', 'nova', 40),
  route('card', 'kb', 'acme', 100),
  route('easy_pay', '*', 'acme', 100),
  route('easy_pay', '*', 'swiftpay', 0),
  route('bank_transfer', '*', 'swiftpay', 100),
];
const notice = (methodType: string, provider: string) => `${methodType} ${provider} is unavailable for now`;

describe('planMitigation', () => {
  it('takes a PSP that is down out of every group it serves, never leaving a group without a PSP', () => {
    const plan = planMitigation(
      { kind: 'psp_down', pspId: 'acme', healthyPsps: ['nova'] },
      ROUTES,
      [],
      notice,
    );
    expect(plan.changes).toEqual([
      {
        kind: 'weights',
        methodType: 'card',
        provider: '*',
        before: [ROUTES[0], ROUTES[1]],
        after: [{ ...ROUTES[0], weight: 0 }, ROUTES[1]],
      },
    ]);
    expect(plan.skipped).toEqual([
      { methodType: 'card', provider: 'kb', why: 'no other PSP serves card/kb' },
      { methodType: 'easy_pay', provider: '*', why: 'no other PSP serves easy_pay/*' },
    ]);
  });

  it('gives an issuer failing at one PSP a group of its own without that PSP', () => {
    const plan = planMitigation(
      {
        kind: 'provider_at_psps',
        methodType: 'card',
        provider: 'shinhan',
        pspIds: ['acme'],
        healthyPsps: ['nova'],
      },
      ROUTES,
      [],
      notice,
    );
    expect(plan.changes).toEqual([
      {
        kind: 'weights',
        methodType: 'card',
        provider: 'shinhan',
        before: [ROUTES[0], ROUTES[1]],
        after: [route('card', 'shinhan', 'acme', 0), route('card', 'shinhan', 'nova', 40)],
      },
    ]);
  });

  it('switches an issuer down everywhere off with its notice, and leaves what a person holds', () => {
    const down = {
      kind: 'provider_down',
      methodType: 'card',
      provider: 'shinhan',
      failingAt: ['acme', 'nova'],
      healthyProviders: ['kb'],
    } as const;
    expect(planMitigation(down, ROUTES, [], notice).changes).toEqual([
      {
        kind: 'method',
        methodType: 'card',
        provider: 'shinhan',
        enabled: false,
        notice: 'card shinhan is unavailable for now',
      },
    ]);
    expect(
      planMitigation(down, ROUTES, [{ methodType: 'card', provider: 'shinhan', actor: 'kim' }], notice),
    ).toEqual({
      changes: [],
      skipped: [{ methodType: 'card', provider: 'shinhan', why: 'held by kim' }],
    });
    const held = planMitigation(
      { kind: 'psp_down', pspId: 'acme', healthyPsps: [] },
      ROUTES,
      [{ methodType: 'card', provider: '*', actor: 'lee' }],
      notice,
    );
    expect(held.changes).toEqual([]);
    expect(held.skipped[0]).toEqual({ methodType: 'card', provider: '*', why: 'held by lee' });
  });

  it('changes nothing for widespread or unroutable trouble', () => {
    const scope = { level: 'psp', pspId: 'acme' } as const;
    expect(planMitigation({ kind: 'widespread', scope }, ROUTES, [], notice)).toEqual({
      changes: [],
      skipped: [],
    });
    expect(planMitigation({ kind: 'not_routable', scope }, ROUTES, [], notice)).toEqual({
      changes: [],
      skipped: [],
    });
  });
});

describe('planRestore', () => {
  const PROBE = { weightShare: 0.1, admittedPercent: 10 };
  const mitigation = planMitigation(
    { kind: 'psp_down', pspId: 'acme', healthyPsps: ['nova'] },
    ROUTES,
    [],
    notice,
  ).changes;
  const applied = (base: readonly Route[], changes: typeof mitigation): Route[] => {
    let result = [...base];
    for (const change of changes) {
      if (change.kind !== 'weights') continue;
      result = [
        ...result.filter(
          (candidate) =>
            !(candidate.methodType === change.methodType && candidate.provider === change.provider),
        ),
        ...change.after,
      ];
    }
    return result;
  };

  it('probes with a share of the old weight, then puts the old weights back', () => {
    const mitigated = applied(ROUTES, mitigation);
    const probe = planRestore(mitigation, mitigated, 'probe', PROBE);
    expect(probe.skipped).toEqual([]);
    expect(probe.changes[0]).toMatchObject({
      after: [
        { pspId: 'acme', weight: 6 },
        { pspId: 'nova', weight: 40 },
      ],
    });
    const probing = applied(mitigated, probe.changes);
    const full = planRestore(mitigation, probing, 'full', PROBE);
    expect(full.changes[0]).toMatchObject({
      after: [
        { pspId: 'acme', weight: 60 },
        { pspId: 'nova', weight: 40 },
      ],
    });
    expect(routesOf(applied(probing, full.changes), 'card', 'visa')).toEqual(
      expect.arrayContaining([ROUTES[0], ROUTES[1]]),
    );
  });

  it('leaves a group someone changed since', () => {
    const edited = applied(ROUTES, mitigation).map((candidate) =>
      candidate.methodType === 'card' && candidate.provider === '*' && candidate.pspId === 'nova'
        ? { ...candidate, weight: 70 }
        : candidate,
    );
    expect(planRestore(mitigation, edited, 'full', PROBE)).toEqual({
      changes: [],
      skipped: [{ methodType: 'card', provider: '*', why: 'changed since the mitigation' }],
    });
  });

  it('probes a switched-off provider with a share of its payments and its notice, then turns it fully on', () => {
    const switchedOff = [
      { kind: 'method', methodType: 'card', provider: 'shinhan', enabled: false, notice: 'x' },
    ] as const;
    expect(planRestore(switchedOff, ROUTES, 'probe', PROBE)).toEqual({
      changes: [
        {
          kind: 'method',
          methodType: 'card',
          provider: 'shinhan',
          enabled: true,
          admittedPercent: 10,
          notice: 'x',
        },
      ],
      skipped: [],
    });
    expect(planRestore(switchedOff, ROUTES, 'full', PROBE)).toEqual({
      changes: [{ kind: 'method', methodType: 'card', provider: 'shinhan', enabled: true }],
      skipped: [],
    });
  });
});
