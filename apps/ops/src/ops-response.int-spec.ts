import {
  buildEnvelope,
  CLOUDEVENTS_HEADERS,
  OPS_EVENT_TYPES,
  PSP_EVENT_TYPES,
  TOPICS,
  type PspAttemptRecordedPayload,
} from '@keel/contracts';
import { DataSource } from 'typeorm';
import { headerAsString } from '@keel/messaging';
import type { Route } from '@keel/ops-domain';
import { operatorAuthorization, waitFor } from '@keel/testing';
import { OpsExecutor } from '../test/ops-executor';
import { startOps, type OpsUnderTest } from '../test/ops-harness';
import type { IncidentWithUpdates } from './incidents/incident';
import type { RoutingAuditEntry } from './routing/routing-state.repository';

jest.setTimeout(180_000);

let ops: OpsUnderTest;
let executor: OpsExecutor;

beforeAll(async () => {
  const ports = await OpsExecutor.ports();
  ops = await startOps({
    OPS_EXECUTOR_URL: `http://127.0.0.1:${ports.executor}`,
    OPS_DETECTION_INTERVAL_MS: '200',
    OPS_PROBE_AFTER_MS: '1000',
    OPS_PROBE_PERIOD_MS: '1000',
  });
  executor = await OpsExecutor.start(ops.namespace, ports);
  await executor.replaceRoutes([
    { methodType: 'card', provider: '*', pspId: 'acme', weight: 50 },
    { methodType: 'card', provider: '*', pspId: 'nova', weight: 50 },
    { methodType: 'easy_pay', provider: '*', pspId: 'nova', weight: 50 },
    { methodType: 'easy_pay', provider: '*', pspId: 'swiftpay', weight: 50 },
  ]);
});

afterAll(async () => {
  // ops first: its detection runs would otherwise find the executor gone.
  await ops?.stop();
  await executor?.stop();
});

type Attempt = Pick<PspAttemptRecordedPayload, 'pspId' | 'methodType' | 'provider' | 'outcome'> & {
  errorMessage?: string;
};

let orderSequence = 0;

/** The executor's attempt events for `count` attempts of each kind given, as it would publish them now. */
async function attempts(count: number, ...kinds: Attempt[]): Promise<void> {
  const envelopes = kinds.flatMap((kind) =>
    Array.from({ length: count }, () => {
      orderSequence += 1;
      const data: PspAttemptRecordedPayload = {
        orderId: `po_${orderSequence}`,
        latencyMs: 120,
        retry: false,
        failover: false,
        attemptedAt: new Date().toISOString(),
        ...kind,
      };
      return buildEnvelope({ type: PSP_EVENT_TYPES.attemptRecorded, source: '/keel/executor', data });
    }),
  );
  await ops.publish(TOPICS.psp, envelopes);
}

async function opsApi<T>(
  method: string,
  path: string,
  body?: unknown,
  actor = 'alice',
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${ops.baseUrl}${path}`, {
    method,
    headers: {
      authorization: operatorAuthorization(method === 'GET' ? 'viewer' : 'operator', { name: actor }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

async function incidents(): Promise<IncidentWithUpdates[]> {
  return (await opsApi<IncidentWithUpdates[]>('GET', '/v1/ops/incidents')).body;
}

async function incidentOf(scopeKey: string): Promise<IncidentWithUpdates | undefined> {
  const found = (await incidents()).find((incident) => incident.scopeKey === scopeKey);
  return found === undefined
    ? undefined
    : (await opsApi<IncidentWithUpdates>('GET', `/v1/ops/incidents/${found.id}`)).body;
}

async function audit(): Promise<RoutingAuditEntry[]> {
  return (await opsApi<RoutingAuditEntry[]>('GET', '/v1/ops/routing/changes')).body;
}

const weightsOf = (routes: readonly Route[], methodType: string) =>
  Object.fromEntries(
    routes
      .filter((route) => route.methodType === methodType && route.provider === '*')
      .map((route) => [route.pspId, route.weight]),
  );

/** Several detection runs (every 200 ms here) have looked at what was sent. */
async function detectionRuns(): Promise<void> {
  const consumed = Date.now();
  await waitFor(() => Date.now() - consumed > 1_500, { description: 'detection runs' });
}

describe('ops against a real executor, PostgreSQL and Kafka', () => {
  it('opens no incident for declines at a realistic rate nor for a blip under the minimum volume', async () => {
    const declines = ['Insufficient funds', 'Card expired', 'Do not honor', 'Invalid CVC'];
    await attempts(85, { pspId: 'quietpay', methodType: 'card', provider: 'hana', outcome: 'approved' });
    for (const errorMessage of declines)
      await attempts(4, {
        pspId: 'quietpay',
        methodType: 'card',
        provider: 'hana',
        outcome: 'declined',
        errorMessage,
      });
    await attempts(10, {
      pspId: 'blippay',
      methodType: 'card',
      provider: 'woori',
      outcome: 'failed',
      errorMessage: 'Connection refused',
    });
    await waitFor(
      async () => {
        const [row] = (await ops.app.get(DataSource).query('SELECT count(*) AS n FROM inbox')) as {
          n: string;
        }[];
        return row?.n === '111';
      },
      { description: 'the 111 attempts consumed' },
    );
    await detectionRuns();

    expect(await incidents()).toEqual([]);
    expect(weightsOf(await executor.routes(), 'card')).toEqual({ acme: 50, nova: 50 });
  });

  it('opens an incident scoped to a failing PSP, sets its weight to zero, and restores it once it recovers', async () => {
    const failing = (provider: string): Attempt => ({
      pspId: 'acme',
      methodType: 'card',
      provider,
      outcome: 'failed',
      errorMessage: 'Service unavailable',
    });
    const approved = (pspId: string, provider: string): Attempt => ({
      pspId,
      methodType: 'card',
      provider,
      outcome: 'approved',
    });
    await attempts(
      15,
      failing('shinhan'),
      failing('kb'),
      approved('nova', 'shinhan'),
      approved('nova', 'kb'),
    );

    const mitigated = await waitFor(
      async () => {
        const incident = await incidentOf('psp:acme');
        return incident?.mitigationStage === 'mitigated' ? incident : undefined;
      },
      { description: "acme's incident mitigated" },
    );
    expect(mitigated).toMatchObject({
      status: 'open',
      title: 'PSP acme failing',
      rule: { id: 'psp-trouble', kind: 'trouble_rate', response: 'auto_act' },
      // quietpay served the first spec's approvals within the window: it counts as working too.
      diagnosis: { kind: 'psp_down', pspId: 'acme', healthyPsps: ['nova', 'quietpay'] },
    });
    expect(weightsOf(await executor.routes(), 'card')).toEqual({ acme: 0, nova: 50 });
    expect(weightsOf(await executor.routes(), 'easy_pay')).toEqual({ nova: 50, swiftpay: 50 });

    // Probe traffic at acme comes back approved: the share of failures falls under the threshold.
    await attempts(40, approved('acme', 'shinhan'), approved('acme', 'kb'));
    const restored = await waitFor(
      async () => {
        const incident = await incidentOf('psp:acme');
        return incident?.mitigationStage === 'restored' ? incident : undefined;
      },
      { description: "acme's weights restored" },
    );
    expect(restored.status).toBe('recovered');
    expect(weightsOf(await executor.routes(), 'card')).toEqual({ acme: 50, nova: 50 });
    expect(restored.updates.map((update) => update.kind)).toEqual(
      expect.arrayContaining(['opened', 'mitigated', 'recovered', 'probing', 'restored']),
    );
    const acmeChanges = (await audit()).filter((change) => change.incidentId === mitigated.id).reverse();
    expect(
      acmeChanges.map((change) => [change.actor, change.kind, weightsOf(change.after as Route[], 'card')]),
    ).toEqual([
      ['ops:auto', 'weights', { acme: 0, nova: 50 }],
      ['ops:auto', 'weights', { acme: 5, nova: 50 }],
      ['ops:auto', 'weights', { acme: 50, nova: 50 }],
    ]);
  });

  it('leaves a group a person holds to the person until the hold is released, each change in the audit with its actor', async () => {
    const held = await opsApi('PUT', '/v1/ops/routing/weights/easy_pay', {
      why: 'swiftpay asked for more of the easy-pay traffic',
      routes: [
        { pspId: 'nova', weight: 30, enabled: true },
        { pspId: 'swiftpay', weight: 70, enabled: true },
      ],
    });
    expect(held.status).toBe(200);

    const failing = (provider: string): Attempt => ({
      pspId: 'swiftpay',
      methodType: 'easy_pay',
      provider,
      outcome: 'failed',
      errorMessage: 'Gateway timeout',
    });
    const approved = (provider: string): Attempt => ({
      pspId: 'nova',
      methodType: 'easy_pay',
      provider,
      outcome: 'approved',
    });
    await attempts(15, failing('kakaopay'), failing('naverpay'), approved('kakaopay'), approved('naverpay'));

    const skipped = await waitFor(
      async () => {
        const incident = await incidentOf('psp:swiftpay');
        return incident?.updates.some((update) => update.kind === 'mitigated_skipped') ? incident : undefined;
      },
      { description: "swiftpay's mitigation held back" },
    );
    expect(skipped.updates.find((update) => update.kind === 'mitigated_skipped')?.text).toBe(
      'easy_pay/* left alone: held by alice',
    );
    expect(skipped.mitigationStage).toBeNull();
    expect(weightsOf(await executor.routes(), 'easy_pay')).toEqual({ nova: 30, swiftpay: 70 });

    const released = await opsApi(
      'POST',
      '/v1/ops/routing/holds/easy_pay/*/release',
      { why: 'automation may act' },
      'bob',
    );
    expect(released.status).toBe(204);
    await waitFor(async () => weightsOf(await executor.routes(), 'easy_pay')['swiftpay'] === 0, {
      description: "swiftpay's weight set to zero after the release",
    });
    expect(weightsOf(await executor.routes(), 'easy_pay')).toEqual({ nova: 30, swiftpay: 0 });

    const easyPay = (await audit()).filter((change) => change.methodType === 'easy_pay').reverse();
    expect(easyPay.map((change) => [change.actor, change.kind, change.why])).toEqual([
      ['alice', 'weights', 'swiftpay asked for more of the easy-pay traffic'],
      ['bob', 'hold_released', 'automation may act'],
      ['ops:auto', 'weights', `incident ${skipped.id}: PSP swiftpay failing`],
    ]);
  });

  it('refuses a rule set with every one of its problems in one problem+json, and applies a valid one', async () => {
    const { body: current } = await opsApi<{ rules: Record<string, unknown>[] }>('GET', '/v1/ops/rules');
    const [first, ...rest] = current.rules;
    const refused = await opsApi<{ type: string; problems: string[] }>('PUT', '/v1/ops/rules', {
      rules: [{ ...first, threshold: 2 }, { ...first, windowMs: 10 }, ...rest],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.type).toBe('https://keel.dev/problems/invalid-detection-rules');
    expect(refused.body.problems).toEqual([
      'rule "psp-trouble": a trouble_rate threshold is a share, at most 1',
      'rule "psp-trouble": id used twice',
      'rule "psp-trouble": windowMs must be a whole number ≥ 1000',
    ]);

    const replaced = await opsApi<{ rules: Record<string, unknown>[]; updatedBy: string }>(
      'PUT',
      '/v1/ops/rules',
      {
        rules: [{ ...first, threshold: 0.4 }, ...rest],
      },
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body.updatedBy).toBe('alice');
    expect(replaced.body.rules[0]).toMatchObject({ id: 'psp-trouble', threshold: 0.4 });
  });

  it('switches a provider off for buyers with its notice (event, status, audit) and takes incidents through their people steps', async () => {
    const reader = await ops.startReader(ops.namespace.topic(TOPICS.ops));
    const off = await opsApi('PUT', '/v1/ops/routing/methods/card/shinhan', {
      enabled: false,
      notice: 'Shinhan cards cannot be used right now.',
      why: 'Shinhan announced an outage',
    });
    expect(off.status).toBe(200);
    const [record] = await reader.waitForCount(1);
    expect(headerAsString(record?.headers[CLOUDEVENTS_HEADERS.type])).toBe(
      OPS_EVENT_TYPES.methodStatusChanged,
    );
    expect(JSON.parse(record?.value?.toString('utf8') ?? '{}')).toMatchObject({
      methodType: 'card',
      provider: 'shinhan',
      enabled: false,
      notice: 'Shinhan cards cannot be used right now.',
      changedBy: 'alice',
    });
    const { body: overview } = await opsApi<{ methods: unknown[]; holds: unknown[] }>(
      'GET',
      '/v1/ops/routing',
    );
    expect(overview.methods).toEqual([
      expect.objectContaining({
        methodType: 'card',
        provider: 'shinhan',
        enabled: false,
        changedBy: 'alice',
      }),
    ]);
    expect(overview.holds).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ methodType: 'card', provider: 'shinhan', actor: 'alice' }),
      ]),
    );
    expect((await audit())[0]).toMatchObject({
      actor: 'alice',
      kind: 'method',
      before: { enabled: true, notice: null },
      after: { enabled: false, notice: 'Shinhan cards cannot be used right now.' },
    });

    const incident = await incidentOf('psp:acme');
    if (incident === undefined) throw new Error("acme's incident is gone");
    const path = `/v1/ops/incidents/${incident.id}`;
    expect((await opsApi('POST', `${path}/acknowledge`, undefined, 'carol')).body).toMatchObject({
      acknowledgedBy: 'carol',
    });
    expect(
      (await opsApi('POST', `${path}/notes`, { note: 'acme confirms a database failover' })).status,
    ).toBe(201);
    const written = await opsApi<IncidentWithUpdates>('PUT', `${path}/post-mortem`, {
      cause: 'acme database failover',
      affectedPayments: 12,
      affectedAmount: { amountMinor: '180000', currency: 'KRW' },
    });
    expect(written.body.postMortem).toMatchObject({
      cause: 'acme database failover',
      affectedPayments: 12,
      affectedAmount: { amountMinor: '180000', currency: 'KRW' },
    });
    const resolved = await opsApi<IncidentWithUpdates>('POST', `${path}/resolve`, {
      note: 'acme stable for an hour',
    });
    expect(resolved.body).toMatchObject({ status: 'resolved', resolvedBy: 'alice' });
    expect(resolved.body.updates.map((update) => [update.actor, update.kind]).slice(-4)).toEqual([
      ['carol', 'acknowledged'],
      ['alice', 'note'],
      ['alice', 'post_mortem'],
      ['alice', 'resolved'],
    ]);
    expect((await opsApi<{ type: string }>('POST', `${path}/acknowledge`)).body.type).toBe(
      'https://keel.dev/problems/incident-already-resolved',
    );
    expect((await opsApi('GET', '/v1/ops/incidents/not-an-incident')).status).toBe(404);
  });

  it('switches an issuer failing at every PSP off, probes it with a share of its payments, off again while it fails, fully on once it recovers', async () => {
    const reader = await ops.startReader(ops.namespace.topic(TOPICS.ops));
    const lotte = (pspId: string, outcome: 'approved' | 'failed'): Attempt => ({
      pspId,
      methodType: 'card',
      provider: 'lotte',
      outcome,
      ...(outcome === 'failed' ? { errorMessage: 'Issuer unavailable' } : {}),
    });
    const kb = (pspId: string): Attempt => ({
      pspId,
      methodType: 'card',
      provider: 'kb',
      outcome: 'approved',
    });
    // Lotte fails at both PSPs while kb works there: the PSPs stay under psp-trouble's threshold.
    await attempts(20, lotte('acme', 'failed'), lotte('nova', 'failed'));
    await attempts(60, kb('acme'), kb('nova'));

    const lotteStatuses = async () =>
      (await reader.waitForCount(1))
        .map((record) => JSON.parse(record.value?.toString('utf8') ?? '{}') as Record<string, unknown>)
        .filter((data) => data['provider'] === 'lotte')
        .map(({ enabled, admittedPercent }) => ({ enabled, admittedPercent }));
    // OPS_PROBE_AFTER_MS and OPS_PROBE_PERIOD_MS are 1 s: off, probed, and off again while the
    // window still holds only failures.
    await waitFor(async () => (await lotteStatuses()).length >= 3, {
      description: 'lotte off, probed, off again',
    });
    expect((await lotteStatuses()).slice(0, 3)).toEqual([
      { enabled: false, admittedPercent: undefined },
      { enabled: true, admittedPercent: 10 },
      { enabled: false, admittedPercent: undefined },
    ]);

    await attempts(60, lotte('acme', 'approved'), lotte('nova', 'approved'));
    const restored = await waitFor(
      async () => {
        const incident = await incidentOf('provider:card/lotte');
        return incident?.mitigationStage === 'restored' ? incident : undefined;
      },
      { description: "lotte's incident restored" },
    );
    const notice = 'lotte cannot be used right now; please choose another payment method.';
    expect(restored.mitigation).toEqual([
      { kind: 'method', methodType: 'card', provider: 'lotte', enabled: false, notice },
    ]);
    expect((await lotteStatuses()).slice(-2)).toEqual([
      { enabled: true, admittedPercent: 10 },
      { enabled: true, admittedPercent: undefined },
    ]);
    // The audit's newest page: probed and off again every second or so until the approvals came.
    const lotteChanges = (await audit()).filter((change) => change.incidentId === restored.id).reverse();
    const off = ['ops:auto', 'method', { enabled: false, admittedPercent: null, notice }];
    const probed = ['ops:auto', 'method', { enabled: true, admittedPercent: 10, notice }];
    const steps = lotteChanges.map((change) => [change.actor, change.kind, change.after]);
    expect(steps.slice(-3)).toEqual([
      off,
      probed,
      ['ops:auto', 'method', { enabled: true, admittedPercent: null, notice: null }],
    ]);
    expect(lotteChanges.slice(-3).map((change) => change.why)).toEqual([
      `incident ${restored.id}: still in trouble under probe traffic`,
      `incident ${restored.id}: probe traffic to see whether it recovered`,
      `incident ${restored.id}: healthy under probe traffic, old weights back`,
    ]);
  });
});
