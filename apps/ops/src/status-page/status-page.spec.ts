import type { Route } from '@keel/ops-domain';
import { statusPageOf, type StatusIncident, type StatusPageData } from './status-page';

const METHODS = ['card', 'easy_pay', 'bank_transfer', 'mobile'];
const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 10, minute));

function dataOf(overrides: Partial<StatusPageData>): StatusPageData {
  return {
    methodTypes: METHODS,
    switchedOff: [],
    current: [],
    resolved: [],
    historyDays: 30,
    generatedAt: at(30),
    ...overrides,
  };
}

const route = (pspId: string, weight: number): Route => ({
  methodType: 'card',
  provider: '*',
  pspId,
  weight,
  enabled: true,
});

/** An issuer failing at every PSP, switched off by automation with its notice. */
const shinhanDown: StatusIncident = {
  id: '6f1c2a52-5a0e-4f57-9d55-0b0a36f7f0a1',
  status: 'open',
  ruleKind: 'trouble_rate',
  diagnosis: {
    kind: 'provider_down',
    methodType: 'card',
    provider: 'shinhan',
    failingAt: ['acme', 'nova'],
    healthyProviders: ['kb'],
  },
  mitigation: [
    {
      kind: 'method',
      methodType: 'card',
      provider: 'shinhan',
      enabled: false,
      notice: 'Shinhan cards cannot be used right now.',
    },
  ],
  mitigationStage: 'mitigated',
  startedAt: at(0),
  resolvedAt: null,
  updates: [
    { at: at(1), kind: 'opened' },
    { at: at(1), kind: 'mitigated' },
    { at: at(3), kind: 'acknowledged' },
  ],
};

/** A PSP failing for every method, its weight set to zero for card and easy pay. */
const acmeDown: StatusIncident = {
  id: '0b7f64a3-8f0e-4d0c-a6d1-7c2f1b4c9e11',
  status: 'open',
  ruleKind: 'trouble_rate',
  diagnosis: { kind: 'psp_down', pspId: 'acme', healthyPsps: ['nova'] },
  mitigation: [
    {
      kind: 'weights',
      methodType: 'card',
      provider: '*',
      before: [route('acme', 50), route('nova', 50)],
      after: [route('acme', 0), route('nova', 50)],
    },
    {
      kind: 'weights',
      methodType: 'easy_pay',
      provider: '*',
      before: [route('acme', 50), route('nova', 50)],
      after: [route('acme', 0), route('nova', 50)],
    },
  ],
  mitigationStage: 'mitigated',
  startedAt: at(10),
  resolvedAt: null,
  updates: [
    { at: at(11), kind: 'opened' },
    { at: at(11), kind: 'mitigated' },
    { at: at(11), kind: 'mitigated' },
  ],
};

describe('statusPageOf', () => {
  it('says every method is operational when nothing is switched off and no incident is open', () => {
    const page = statusPageOf(dataOf({}));

    expect(page).toEqual({
      generatedAt: '2026-01-05T10:30:00.000Z',
      status: 'operational',
      summary: 'All payment methods are working.',
      methods: [
        { type: 'card', name: 'Card', status: 'operational', providers: [] },
        { type: 'easy_pay', name: 'Easy pay', status: 'operational', providers: [] },
        { type: 'bank_transfer', name: 'Bank transfer', status: 'operational', providers: [] },
        { type: 'mobile', name: 'Mobile', status: 'operational', providers: [] },
      ],
      incidents: [],
      history: { days: 30, incidents: [] },
    });
  });

  it('shows a switched-off issuer with its notice, its method degraded, and the incident in buyer words', () => {
    const page = statusPageOf(
      dataOf({
        switchedOff: [
          { methodType: 'card', provider: 'shinhan', notice: 'Shinhan cards cannot be used right now.' },
        ],
        current: [shinhanDown],
      }),
    );

    expect(page.status).toBe('degraded');
    expect(page.summary).toBe('Some payment methods have problems.');
    expect(page.methods[0]).toEqual({
      type: 'card',
      name: 'Card',
      status: 'degraded',
      providers: [
        {
          provider: 'shinhan',
          name: 'Shinhan',
          status: 'unavailable',
          notice: 'Shinhan cards cannot be used right now.',
        },
      ],
    });
    expect(page.methods.slice(1).map((method) => method.status)).toEqual([
      'operational',
      'operational',
      'operational',
    ]);
    expect(page.incidents).toEqual([
      {
        id: shinhanDown.id,
        title: 'Errors with Shinhan card payments',
        stage: 'identified',
        methods: ['card'],
        startedAt: '2026-01-05T10:00:00.000Z',
        updates: [
          { at: '2026-01-05T10:03:00.000Z', text: 'Our team is working on it.' },
          {
            at: '2026-01-05T10:01:00.000Z',
            text: 'Shinhan card payments are switched off for now. Shinhan cards cannot be used right now.',
          },
          { at: '2026-01-05T10:01:00.000Z', text: 'We are investigating the problem.' },
        ],
      },
    ]);
  });

  it('names no PSP, figure or person: a PSP down reads as some payments of the methods it re-routed', () => {
    const page = statusPageOf(dataOf({ current: [acmeDown] }));
    const [incident] = page.incidents;

    expect(incident).toMatchObject({
      title: 'Errors with some card and easy pay payments',
      stage: 'identified',
      methods: ['card', 'easy_pay'],
    });
    // Two groups mitigated at once are told once.
    expect(incident?.updates.map((update) => update.text)).toEqual([
      'We have routed payments around the problem; most payments should go through.',
      'We are investigating the problem.',
    ]);
    expect(page.methods.map((method) => [method.type, method.status])).toEqual([
      ['card', 'degraded'],
      ['easy_pay', 'degraded'],
      ['bank_transfer', 'operational'],
      ['mobile', 'operational'],
    ]);
    const json = JSON.stringify(page);
    for (const internal of ['acme', 'nova', 'weight', 'trouble_rate', 'ops:auto'])
      expect(json).not.toContain(internal);
  });

  it('marks a whole method switched off unavailable with its notice, and every method off as payments unavailable', () => {
    const notice = 'Bank transfers are paused for maintenance until 14:00.';
    const oneOff = statusPageOf(
      dataOf({ switchedOff: [{ methodType: 'bank_transfer', provider: '*', notice }] }),
    );
    expect(oneOff.methods[2]).toEqual({
      type: 'bank_transfer',
      name: 'Bank transfer',
      status: 'unavailable',
      notice,
      providers: [],
    });
    expect(oneOff.status).toBe('degraded');

    const allOff = statusPageOf(
      dataOf({ switchedOff: METHODS.map((methodType) => ({ methodType, provider: '*', notice })) }),
    );
    expect(allOff.status).toBe('unavailable');
    expect(allOff.summary).toBe('Payments are unavailable.');
  });

  it('watches a recovered incident without degrading its method, and tells a recurrence once', () => {
    const recovered: StatusIncident = {
      ...acmeDown,
      status: 'recovered',
      mitigationStage: 'probing',
      updates: [
        { at: at(11), kind: 'opened' },
        { at: at(11), kind: 'mitigated' },
        { at: at(12), kind: 'fired' },
        { at: at(14), kind: 'recovered' },
        { at: at(15), kind: 'fired' },
        { at: at(16), kind: 'fired' },
        { at: at(18), kind: 'recovered' },
      ],
    };
    const page = statusPageOf(dataOf({ current: [recovered] }));

    expect(page.incidents[0]?.stage).toBe('monitoring');
    expect(page.methods.every((method) => method.status === 'operational')).toBe(true);
    expect(page.incidents[0]?.updates.map((update) => update.text)).toEqual([
      'The problem has stopped; we are monitoring.',
      'The problem is back; we are working on it.',
      'The problem has stopped; we are monitoring.',
      'We have routed payments around the problem; most payments should go through.',
      'We are investigating the problem.',
    ]);
  });

  it('lists resolved incidents in the history with when they ended, and the issuer back on', () => {
    const resolved: StatusIncident = {
      ...shinhanDown,
      status: 'resolved',
      mitigationStage: 'restored',
      resolvedAt: at(25),
      updates: [
        ...shinhanDown.updates,
        { at: at(18), kind: 'recovered' },
        { at: at(18), kind: 'probing' },
        { at: at(20), kind: 'restored' },
        { at: at(25), kind: 'resolved' },
      ],
    };
    const page = statusPageOf(dataOf({ resolved: [resolved] }));

    expect(page.incidents).toEqual([]);
    expect(page.methods[0]?.status).toBe('operational');
    expect(page.history.incidents).toEqual([
      expect.objectContaining({
        title: 'Errors with Shinhan card payments',
        stage: 'resolved',
        resolvedAt: '2026-01-05T10:25:00.000Z',
      }),
    ]);
    // Part of its payments at the probe stage, all of them once restored.
    expect(page.history.incidents[0]?.updates.slice(0, 4)).toEqual([
      { at: '2026-01-05T10:25:00.000Z', text: 'This incident is resolved.' },
      { at: '2026-01-05T10:20:00.000Z', text: 'Shinhan card payments are available again.' },
      {
        at: '2026-01-05T10:18:00.000Z',
        text: 'Shinhan card payments are coming back gradually; some may still be refused.',
      },
      { at: '2026-01-05T10:18:00.000Z', text: 'The problem has stopped; we are monitoring.' },
    ]);
  });

  it('shows an issuer or a whole method on again for part of its payments as degraded, with its notice', () => {
    const notice = 'Shinhan cards cannot be used right now.';
    const page = statusPageOf(
      dataOf({
        switchedOff: [
          { methodType: 'card', provider: 'shinhan', notice, limited: true },
          { methodType: 'easy_pay', provider: '*', notice: 'Easy pay is paused.', limited: true },
        ],
      }),
    );

    expect(page.methods.slice(0, 2)).toEqual([
      {
        type: 'card',
        name: 'Card',
        status: 'degraded',
        providers: [{ provider: 'shinhan', name: 'Shinhan', status: 'degraded', notice }],
      },
      {
        type: 'easy_pay',
        name: 'Easy pay',
        status: 'degraded',
        notice: 'Easy pay is paused.',
        providers: [],
      },
    ]);
    expect(page.status).toBe('degraded');
  });

  it("leaves Keel's own pipelines out and words latency, unknown outcomes and trouble everywhere", () => {
    const base = { ...acmeDown, mitigation: null, mitigationStage: null, updates: [] };
    const page = statusPageOf(
      dataOf({
        current: [
          {
            ...base,
            id: 'lag',
            ruleKind: 'pipeline_lag',
            diagnosis: { kind: 'not_routable', scope: { level: 'service', service: 'payment' } },
          },
          {
            ...base,
            id: 'slow',
            ruleKind: 'latency_percentile',
            diagnosis: { kind: 'not_routable', scope: { level: 'psp', pspId: 'acme' } },
          },
          {
            ...base,
            id: 'unknown',
            ruleKind: 'unknown_outcomes',
            diagnosis: {
              kind: 'not_routable',
              scope: { level: 'provider', methodType: 'easy_pay', provider: 'kakao_pay' },
            },
          },
          {
            ...base,
            id: 'everywhere',
            diagnosis: { kind: 'widespread', scope: { level: 'psp', pspId: 'acme' } },
          },
        ],
      }),
    );

    expect(page.incidents.map((incident) => [incident.id, incident.title, incident.stage])).toEqual([
      ['slow', 'Slow processing of some payments', 'investigating'],
      ['unknown', 'Delayed confirmation of Kakao pay easy pay payments', 'investigating'],
      ['everywhere', 'Errors with payments', 'investigating'],
    ]);
    expect(page.methods.every((method) => method.status === 'degraded')).toBe(true);
  });
});
