import { describeChange, drillFigures, sameRoutes, showsSwitchedOff } from './drill-figures';
import type {
  DrillObservations,
  ObservedCheckout,
  ObservedRoutingChange,
  RouteRow,
} from './drill-observations';
import { scenarioNamed, type DrillScenario } from './drill-scenarios';
import { drillTimeline } from './drill-report';

const FAULT_START = 100_000;
const FAULT_END = 190_000;

const scenario = (name: string): DrillScenario => {
  const found = scenarioNamed(name);
  if (found === undefined) throw new Error(name);
  return found;
};

const route = (pspId: string, weight: number, provider = '*'): RouteRow => ({
  methodType: 'card',
  provider,
  pspId,
  weight,
  enabled: true,
});
const ROUTES = [route('acme', 70), route('nova', 30)];

const checkouts = (
  count: number,
  outcome: ObservedCheckout['outcome'],
  provider = 'shinhan',
): ObservedCheckout[] =>
  Array.from({ length: count }, (_, index) => ({
    sentAtMs: FAULT_START + index * 100,
    methodType: 'card',
    provider,
    outcome,
  }));

const weightsChange = (atMs: number, acmeBefore: number, acmeAfter: number): ObservedRoutingChange => ({
  atMs,
  actor: 'ops:auto',
  kind: 'weights',
  methodType: 'card',
  provider: '*',
  why: 'incident inc_1',
  incidentId: 'inc_1',
  before: [route('acme', acmeBefore), route('nova', 30)],
  after: [route('acme', acmeAfter), route('nova', 30)],
});

function cardPspDown(overrides: Partial<DrillObservations> = {}): DrillObservations {
  return {
    scenario: 'card-psp-down',
    ratePerSecond: 10,
    faultSeconds: 90,
    recoverySeconds: 240,
    trafficStartMs: 80_000,
    faultStartMs: FAULT_START,
    faultEndMs: FAULT_END,
    endMs: 260_000,
    checkouts: [
      ...checkouts(19, 'completed'),
      ...checkouts(1, 'failed'),
      { sentAtMs: 50_000, methodType: 'card', provider: 'kb', outcome: 'failed' },
    ],
    incidents: [
      {
        id: 'inc_0',
        scopeKey: 'psp_provider:acme/card/kb',
        title: 'kb at acme',
        status: 'recovered',
        ruleId: 'psp-trouble',
        diagnosisKind: 'psp_down',
        detectedAtMs: 111_000,
        updates: [],
      },
      {
        id: 'inc_1',
        scopeKey: 'psp:acme',
        title: 'acme failing',
        status: 'recovered',
        ruleId: 'psp-trouble',
        diagnosisKind: 'psp_down',
        detectedAtMs: 112_000,
        updates: [
          { atMs: 112_000, actor: 'ops:auto', kind: 'opened', text: 'opened' },
          {
            atMs: 150_000,
            actor: 'ops:auto',
            kind: 'recovered',
            text: 'the breaker closed, psp-trouble still fires',
          },
          { atMs: 195_500, actor: 'ops:auto', kind: 'recovered', text: 'recovered' },
        ],
      },
    ],
    routingChanges: [
      weightsChange(114_500, 70, 0),
      weightsChange(200_000, 0, 7),
      weightsChange(231_000, 7, 70),
    ],
    orphans: [
      { paymentOrderId: 'po_1', pspId: 'acme', detectedAtMs: 120_000, refundedAtMs: 123_000 },
      { paymentOrderId: 'po_2', pspId: 'acme', detectedAtMs: 121_000 },
    ],
    routesBefore: ROUTES,
    routesAfter: [...ROUTES].reverse(),
    switchedOffAfter: [],
    ...overrides,
  };
}

describe('drillFigures', () => {
  it('measures detection, mitigation, the success share, orphans and the recovery from the fault', () => {
    const figures = drillFigures(scenario('card-psp-down'), cardPspDown());
    expect(figures.detectMs).toBe(12_000);
    expect(figures.mitigateMs).toBe(14_500);
    expect(figures.firstMitigation).toBe('card/* acme 70→0, nova 30');
    expect(figures.watched).toMatchObject({ sent: 20, completed: 19, failed: 1, succeededShare: 0.95 });
    expect(figures.overall.sent).toBe(21);
    expect(figures.byProvider).toEqual({
      'card/shinhan': { sent: 20, completed: 19, failed: 1, refused: 0, unanswered: 0, not_terminal: 0 },
    });
    expect(figures.orphans).toEqual({
      detected: 2,
      refunded: 1,
      refundDelayMs: { median: 3_000, max: 3_000 },
    });
    expect(figures.incidentRecoveredMs).toBe(5_500);
    expect(figures.routingRestoredMs).toBe(41_000);
    expect(figures.automaticChanges).toBe(3);
    expect(figures.verdicts.map((verdict) => [verdict.name, verdict.met])).toEqual([
      ['time to detect', true],
      ['time to mitigate', true],
      ['card payments sent during the fault that succeeded', true],
      ['routing as before once the fault was lifted', true],
    ]);
    expect(figures.passed).toBe(true);
  });

  it('misses the targets a slow detection, a late mitigation, failures and an unrestored table break', () => {
    const observations = cardPspDown({
      incidents: cardPspDown()
        .incidents.slice(1)
        .map((incident) => ({ ...incident, detectedAtMs: 131_000 })),
      routingChanges: [weightsChange(161_000, 70, 0)],
      checkouts: [...checkouts(18, 'completed'), ...checkouts(1, 'refused'), ...checkouts(1, 'unanswered')],
      routesAfter: [route('acme', 0), route('nova', 30)],
    });
    const figures = drillFigures(scenario('card-psp-down'), observations);
    expect(figures.verdicts.filter((verdict) => !verdict.met).map((verdict) => verdict.observed)).toEqual([
      '31.0 s',
      '61.0 s',
      '90.0 % (18/20)',
      'not restored (weights differ)',
    ]);
    expect(figures.routingRestoredMs).toBeUndefined();
    expect(figures.passed).toBe(false);
  });

  it('reports never detected and never mitigated when ops did nothing', () => {
    const figures = drillFigures(
      scenario('card-psp-down'),
      cardPspDown({ incidents: [], routingChanges: [], routesAfter: ROUTES }),
    );
    expect(figures.detectMs).toBeUndefined();
    expect(figures.mitigateMs).toBeUndefined();
    expect(figures.verdicts.map((verdict) => verdict.observed).slice(0, 2)).toEqual(['never', 'never']);
    expect(figures.verdicts.map((verdict) => verdict.name)).not.toContain(
      'routing as before once the fault was lifted',
    );
  });

  it("judges issuer-down by the issuer switched off with its notice and the other issuers' payments", () => {
    const observations = cardPspDown({
      scenario: 'issuer-down',
      checkouts: [...checkouts(30, 'completed', 'kb'), ...checkouts(10, 'refused', 'hyundai')],
      incidents: [],
      routingChanges: [],
      routesAfter: ROUTES,
      buyerView: {
        atMs: 130_000,
        ops: { enabled: false, notice: 'hyundai cannot be used right now' },
        paymentMethods: 'absent',
        statusPage: 'absent',
      },
    });
    const figures = drillFigures(scenario('issuer-down'), observations);
    expect(figures.watched).toMatchObject({ sent: 30, completed: 30, succeededShare: 1 });
    expect(figures.verdicts).toContainEqual({
      name: 'card/hyundai switched off for buyers with a notice',
      target: 'off, with its notice',
      observed: 'off: "hyundai cannot be used right now"',
      met: true,
    });
    const still = drillFigures(scenario('issuer-down'), { ...observations, buyerView: undefined });
    expect(still.verdicts.find((verdict) => verdict.name.includes('switched off'))?.met).toBe(false);
  });

  it('fails the flood when load alone opened an incident', () => {
    const figures = drillFigures(
      scenario('launch-flood'),
      cardPspDown({ routingChanges: [], routesAfter: ROUTES }),
    );
    expect(figures.verdicts).toEqual([
      { name: 'incidents opened', target: 'none', observed: '2', met: false },
    ]);
  });
});

describe('describeChange', () => {
  it('names a provider switched off with its notice, on again for a share of its payments, and fully', () => {
    const change: ObservedRoutingChange = {
      ...weightsChange(0, 70, 0),
      kind: 'method',
      provider: 'hyundai',
      before: null,
      after: { enabled: false, notice: 'not now' },
    };
    expect(describeChange(change)).toBe('card/hyundai switched off: "not now"');
    expect(describeChange({ ...change, after: { enabled: true, admittedPercent: 10 } })).toBe(
      'card/hyundai switched on for 10 % of its payments',
    );
    expect(describeChange({ ...change, after: { enabled: true, admittedPercent: null } })).toBe(
      'card/hyundai switched on',
    );
  });
});

describe('drillTimeline', () => {
  it('puts the fault, incident updates and routing changes in order, in seconds from the fault', () => {
    const timeline = drillTimeline(cardPspDown());
    expect(timeline[0]).toBe('-20.0 s: traffic starts');
    expect(timeline.slice(1, 4)).toEqual([
      '0.0 s: fault injected',
      '12.0 s: incident psp:acme: opened (ops:auto) — opened',
      '14.5 s: routing (ops:auto): card/* acme 70→0, nova 30 — incident inc_1',
    ]);
    expect(timeline).toContain('90.0 s: fault lifted');
  });
});

describe('showsSwitchedOff and the buyer-facing verdicts', () => {
  const off = { atMs: 1, ops: { enabled: false, notice: 'not now' } } as const;

  it('waits for every place that exists to show the provider off', () => {
    expect(showsSwitchedOff({ ...off, paymentMethods: 'absent', statusPage: 'absent' })).toBe(true);
    expect(showsSwitchedOff({ ...off, paymentMethods: { enabled: true }, statusPage: 'absent' })).toBe(false);
    expect(
      showsSwitchedOff({
        ...off,
        paymentMethods: { enabled: false, notice: 'not now' },
        statusPage: { mentioned: false },
      }),
    ).toBe(false);
    expect(
      showsSwitchedOff({ ...off, ops: { enabled: true }, paymentMethods: 'absent', statusPage: 'absent' }),
    ).toBe(false);
  });

  it('judges GET /v1/payment-methods and the status page only where the system has them', () => {
    const view = { ...off, paymentMethods: { enabled: true }, statusPage: { mentioned: true } } as const;
    const figures = drillFigures(
      scenario('issuer-down'),
      cardPspDown({ incidents: [], routingChanges: [], routesAfter: ROUTES, buyerView: view }),
    );
    expect(figures.verdicts.slice(-2)).toEqual([
      {
        name: 'card/hyundai switched off in GET /v1/payment-methods',
        target: 'listed as switched off, with its notice',
        observed: 'listed as available',
        met: false,
      },
      { name: 'hyundai on the status page (/status.json)', target: 'named', observed: 'named', met: true },
    ]);
  });
});

describe('sameRoutes', () => {
  it("counts a provider's group that routes as its method's * group as no difference, any other as one", () => {
    const restoredGroup = [...ROUTES, route('acme', 70, 'hyundai'), route('nova', 30, 'hyundai')];
    expect(sameRoutes(ROUTES, restoredGroup)).toBe(true);
    expect(sameRoutes(ROUTES, [...ROUTES, route('acme', 70, 'hyundai'), route('nova', 0, 'hyundai')])).toBe(
      false,
    );
    expect(sameRoutes(ROUTES, [route('acme', 0), route('nova', 30)])).toBe(false);
  });
});
