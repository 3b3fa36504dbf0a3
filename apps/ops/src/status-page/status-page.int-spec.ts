import { get, type IncomingMessage } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { buildEnvelope, PSP_EVENT_TYPES, TOPICS, type PspAttemptRecordedPayload } from '@keel/contracts';
import { operatorAuthorization, waitFor } from '@keel/testing';
import { OpsExecutor } from '../../test/ops-executor';
import { startOps, type OpsUnderTest } from '../../test/ops-harness';
import type { StatusPage } from './status-page';

jest.setTimeout(180_000);

/** Debian's Chromium (tools/browser/install-chromium.sh); Playwright downloads no browser here. */
const CHROMIUM = '/usr/bin/chromium';
const NOTICE = 'shinhan cannot be used right now; please choose another payment method.';

let ops: OpsUnderTest;
let executor: OpsExecutor;
let browser: Browser;

beforeAll(async () => {
  const ports = await OpsExecutor.ports();
  ops = await startOps({
    OPS_EXECUTOR_URL: `http://127.0.0.1:${ports.executor}`,
    OPS_DETECTION_INTERVAL_MS: '200',
    // The issuer stays off until its signal recovers (no probe on a timer while the spec looks).
    OPS_PROBE_AFTER_MS: '600000',
    OPS_PROBE_PERIOD_MS: '1000',
    OPS_STATUS_CACHE_MS: '100',
  });
  executor = await OpsExecutor.start(ops.namespace, ports);
  await executor.replaceRoutes([
    { methodType: 'card', provider: '*', pspId: 'acme', weight: 50 },
    { methodType: 'card', provider: '*', pspId: 'nova', weight: 50 },
  ]);
  // As root (CI, the development machines) Chromium's sandbox needs privileges a container lacks.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await ops?.stop();
  await executor?.stop();
});

type Attempt = Pick<PspAttemptRecordedPayload, 'pspId' | 'provider' | 'outcome'> & { errorMessage?: string };

let orderSequence = 0;

/** The executor's attempt events, `count` of each kind given, as it would publish them now. */
async function attempts(count: number, ...kinds: Attempt[]): Promise<void> {
  const envelopes = kinds.flatMap((kind) =>
    Array.from({ length: count }, () => {
      orderSequence += 1;
      const data: PspAttemptRecordedPayload = {
        orderId: `po_${orderSequence}`,
        methodType: 'card',
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

/** Anonymous, as a buyer's browser asks. */
async function statusJson(): Promise<StatusPage> {
  const response = await fetch(`${ops.baseUrl}/status.json`);
  expect(response.status).toBe(200);
  return (await response.json()) as StatusPage;
}

/** A GET as a browser revalidating its copy sends it. */
function plainGet(path: string, headers: Record<string, string> = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get(`${ops.baseUrl}${path}`, { headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response));
    }).on('error', reject);
  });
}

function cardOf(page: StatusPage) {
  return page.methods.find((method) => method.type === 'card');
}

describe('the public status page on the real PostgreSQL and Kafka, with a real executor', () => {
  it('answers anyone, cacheable, with every method operational and no incident', async () => {
    const json = await fetch(`${ops.baseUrl}/status.json`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(json.headers.get('cache-control')).toBe('public, max-age=0');
    const page = (await json.json()) as StatusPage;
    expect(page).toMatchObject({
      status: 'operational',
      incidents: [],
      history: { days: 30, incidents: [] },
    });
    expect(page.methods.map((method) => [method.type, method.status])).toEqual([
      ['card', 'operational'],
      ['easy_pay', 'operational'],
      ['bank_transfer', 'operational'],
      ['mobile', 'operational'],
    ]);

    const html = await fetch(`${ops.baseUrl}/status`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);
    expect(await html.text()).toContain('All payment methods are working.');

    // A client holding the snapshot it was sent gets 304 for as long as the snapshot lasts. (Not
    // with fetch, which sends `Cache-Control: no-cache` beside its own If-None-Match.)
    await waitFor(
      async () => {
        const first = await plainGet('/status.json');
        const etag = first.headers.etag ?? '';
        expect(etag).not.toBe('');
        return (await plainGet('/status.json', { 'if-none-match': etag })).statusCode === 304;
      },
      { description: '304 to a matching If-None-Match' },
    );
  });

  it('shows an issuer failing at every PSP switched off with its notice and its incident, on both forms and in a browser', async () => {
    const failing = (pspId: string, errorMessage: string): Attempt => ({
      pspId,
      provider: 'shinhan',
      outcome: 'failed',
      errorMessage,
    });
    // Shinhan fails at both PSPs while kb works at both: the issuer is down, not a PSP.
    await attempts(
      4,
      failing('acme', 'Issuer unavailable'),
      failing('acme', 'Issuer timeout'),
      failing('acme', 'System error'),
      failing('nova', 'Issuer unavailable'),
      failing('nova', 'Issuer timeout'),
      failing('nova', 'System error'),
    );
    await attempts(40, { pspId: 'acme', provider: 'kb', outcome: 'approved' });
    await attempts(40, { pspId: 'nova', provider: 'kb', outcome: 'approved' });

    const page = await waitFor(
      async () => {
        const candidate = await statusJson();
        // The switch-off and the incident's mitigation commit one after the other: wait for both.
        return cardOf(candidate)?.providers.length === 1 &&
          candidate.incidents.length === 1 &&
          candidate.incidents[0]?.stage === 'identified'
          ? candidate
          : undefined;
      },
      {
        description: 'shinhan switched off and its mitigated incident on /status.json',
        timeoutMs: 60_000,
      },
    );
    expect(cardOf(page)).toEqual({
      type: 'card',
      name: 'Card',
      status: 'degraded',
      providers: [{ provider: 'shinhan', name: 'Shinhan', status: 'unavailable', notice: NOTICE }],
    });
    expect(page.incidents[0]).toMatchObject({
      title: 'Errors with Shinhan card payments',
      stage: 'identified',
      methods: ['card'],
    });
    expect(page.incidents[0]?.updates.map((update) => update.text)).toContain(
      `Shinhan card payments are switched off for now. ${NOTICE}`,
    );
    // Buyer-safe: neither the PSPs, nor the figures, nor the actor.
    for (const internal of ['acme', 'nova', 'ops:auto', 'provider-trouble', 'observed'])
      expect(JSON.stringify(page)).not.toContain(internal);

    const html = await (await fetch(`${ops.baseUrl}/status`)).text();
    expect(html).toContain('Errors with Shinhan card payments');
    expect(html).toContain(`<p class="notice">${NOTICE}</p>`);

    // What a buyer's browser shows, without JavaScript, under the page's own security policy.
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const tab = await context.newPage();
      const policyViolations: string[] = [];
      tab.on('console', (message) => policyViolations.push(message.text()));
      expect((await tab.goto(`${ops.baseUrl}/status`))?.status()).toBe(200);
      const statusOf = (selector: string) => tab.locator(`${selector} .status`).first().innerText();
      expect(await statusOf('li[data-method="card"]')).toBe('Degraded');
      expect(await statusOf('li[data-provider="shinhan"]')).toBe('Unavailable');
      expect(await tab.locator('li[data-provider="shinhan"] .notice').innerText()).toBe(NOTICE);
      for (const other of ['easy_pay', 'bank_transfer', 'mobile'])
        expect(await statusOf(`li[data-method="${other}"]`)).toBe('Operational');
      expect(await tab.locator('#incidents article h3').allInnerTexts()).toEqual([
        'Errors with Shinhan card payments',
      ]);
      // The inline stylesheet applied (its hash in the policy): a degraded status is amber. The
      // expression runs in the page, where the DOM is (this project's TypeScript has no DOM library).
      expect(
        await tab.evaluate(
          `getComputedStyle(document.querySelector('li[data-method="card"] .method .status')).color`,
        ),
      ).toBe('rgb(154, 103, 0)');
      expect(policyViolations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('brings the issuer back once it recovers, and moves the incident to the history when it is resolved', async () => {
    await attempts(15, { pspId: 'acme', provider: 'shinhan', outcome: 'approved' });
    await attempts(15, { pspId: 'nova', provider: 'shinhan', outcome: 'approved' });

    const recovered = await waitFor(
      async () => {
        const candidate = await statusJson();
        // The switch back on and the incident's restored update commit one after the other.
        return cardOf(candidate)?.providers.length === 0 &&
          candidate.incidents[0]?.updates[0]?.text === 'Shinhan card payments are available again.'
          ? candidate
          : undefined;
      },
      { description: 'shinhan switched on again, and the incident saying so', timeoutMs: 60_000 },
    );
    expect(cardOf(recovered)?.status).toBe('operational');
    expect(recovered.incidents).toEqual([
      expect.objectContaining({ title: 'Errors with Shinhan card payments', stage: 'monitoring' }),
    ]);
    expect(recovered.incidents[0]?.updates[0]?.text).toBe('Shinhan card payments are available again.');
    // On again for a share of its payments first (the probe), then for all: each step in the audit.
    const changes = (await (
      await fetch(`${ops.baseUrl}/v1/ops/routing/changes`, {
        headers: { authorization: operatorAuthorization('viewer', { name: 'bob' }) },
      })
    ).json()) as { actor: string; kind: string; provider: string; after: unknown }[];
    expect(
      changes
        .filter((change) => change.kind === 'method' && change.provider === 'shinhan')
        .map((change) => change.after)
        .reverse(),
    ).toEqual([
      { enabled: false, admittedPercent: null, notice: NOTICE },
      { enabled: true, admittedPercent: 10, notice: NOTICE },
      { enabled: true, admittedPercent: null, notice: null },
    ]);

    const incidentId = recovered.incidents[0]?.id ?? '';
    const resolve = await fetch(`${ops.baseUrl}/v1/ops/incidents/${incidentId}/resolve`, {
      method: 'POST',
      headers: {
        authorization: operatorAuthorization('operator', { name: 'alice' }),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ note: 'Shinhan confirmed their authorisation outage is over (ticket 4471).' }),
    });
    expect(resolve.status).toBe(200);

    const resolved = await waitFor(
      async () => {
        const candidate = await statusJson();
        return candidate.incidents.length === 0 ? candidate : undefined;
      },
      { description: 'the incident moved to the history' },
    );
    expect(resolved.status).toBe('operational');
    expect(resolved.history.incidents).toEqual([
      expect.objectContaining({ id: incidentId, stage: 'resolved', resolvedAt: expect.any(String) }),
    ]);
    expect(resolved.history.incidents[0]?.updates[0]?.text).toBe('This incident is resolved.');
    // The resolve note was written for colleagues: it stays inside.
    expect(JSON.stringify(resolved)).not.toContain('ticket 4471');

    const html = await (await fetch(`${ops.baseUrl}/status`)).text();
    expect(html).toContain('<p>No current incidents.</p>');
    expect(html).toMatch(/<section id="history">[\s\S]*Errors with Shinhan card payments[\s\S]*Resolved/);
  });
});
