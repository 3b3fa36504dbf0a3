import { buildEnvelope, PSP_EVENT_TYPES, TOPICS, type PspAttemptRecordedPayload } from '@keel/contracts';
import { DataSource } from 'typeorm';
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
});
