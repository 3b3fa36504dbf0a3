import { randomUUID } from 'node:crypto';
import { PspSimProcess } from '@keel/local-system';
import { parseKafkaRecord, TOPICS, type EventEnvelope } from '@keel/contracts';
import { dayIn } from '@keel/reconciliation-domain';
import { operatorAuthorization, waitFor, type TopicReader } from '@keel/testing';
import {
  chargeRecorded,
  failed,
  FIXTURE_SELLER,
  KeelViewFixture,
  netOfFee,
  newOrderId,
  orphanDetected,
  orphanRefunded,
  succeeded,
  succeededData,
  walletCredited,
} from '../../test/keel-view-fixture';
import type { ReconciliationRun } from '../runs/reconciliation-run';
import type { MatchingSummary } from './matching.step';
import type { ThreeWayCheckSummary } from './three-way-check.step';
import { completedRunOf } from '../../test/completed-run';

jest.setTimeout(180_000);

const DAY_MS = 86_400_000;
const ZONES = { acme: 'UTC', nova: 'Europe/Berlin', swiftpay: 'Asia/Seoul' } as const;
type Psp = keyof typeof ZONES;

let sim: PspSimProcess;
let view: KeelViewFixture;
let announced: TopicReader;

beforeAll(async () => {
  sim = await PspSimProcess.start();
  // Every discrepancy stays for a person here; fixes.int-spec.ts runs them with the executor and ledger.
  view = await KeelViewFixture.start({ ...sim.pspUrls(), RECON_AUTO_FIX: 'false' });
  announced = await view.service.startReader(view.service.namespace.topic(TOPICS.reconciliation));
});

beforeEach(async () => {
  await sim.reset();
});

afterAll(async () => {
  await announced?.stop();
  await view?.stop();
  await sim?.stop();
});

interface MatchedRun extends ReconciliationRun {
  readonly summary: ReconciliationRun['summary'] & {
    readonly matching: MatchingSummary;
    readonly threeWayCheck: ThreeWayCheckSummary;
  };
}

function runOf(psp: Psp, date: string): Promise<MatchedRun> {
  return completedRunOf<MatchedRun>(view.service.baseUrl, psp, date);
}

interface StoredDiscrepancy {
  id: string;
  class: string;
  merchant_reference: string | null;
  match_key: string;
  money_at_risk_minor: string;
  currency: string;
  status: string;
  resolved_by: string | null;
  first_run_id: string;
  last_run_id: string;
}

function discrepanciesOf(psp: Psp, date: string): Promise<StoredDiscrepancy[]> {
  return view.queryRows<StoredDiscrepancy>(
    `SELECT id, class, merchant_reference, match_key, money_at_risk_minor::text, currency, status, resolved_by,
            first_run_id, last_run_id
     FROM discrepancies WHERE psp = $1 AND settlement_date = $2 ORDER BY class, match_key`,
    [psp, date],
  );
}

/** Noon of the day `daysAgo` days before today, in UTC (acme's zone): a past day no other case uses. */
function noonOf(daysAgo: number): number {
  const today = Date.parse(`${dayIn('UTC', new Date())}T12:00:00.000Z`);
  return today - daysAgo * DAY_MS;
}

const ZERO_COUNTS = {
  matched: 0,
  missing_in_keel: 0,
  missing_at_psp: 0,
  amount_mismatch: 0,
  status_mismatch: 0,
  fee_mismatch: 0,
  duplicate: 0,
  timing: 0,
};

/**
 * A charge at the PSP under a new order id, and (unless `keel: false`) Keel's success, ledger entry
 * and wallet credit for it.
 */
async function charge(
  psp: Psp,
  amountMinor: number,
  atMs: number,
  events: EventEnvelope[],
  options: { keel?: boolean } = {},
): Promise<{ orderId: string; chargeId: string }> {
  const orderId = newOrderId();
  const fault = await sim.addSettlementFault({
    psp,
    kind: 'unknown_charge',
    amountMinor,
    currency: 'KRW',
    occurredAtMs: atMs,
    merchantReference: orderId,
  });
  const chargeId = fault.chargeId as string;
  if (options.keel !== false) {
    const at = new Date(atMs).toISOString();
    events.push(
      succeeded(
        succeededData({
          psp,
          paymentOrderId: orderId,
          pspReference: chargeId,
          amountMinor: BigInt(amountMinor),
          at,
        }),
      ),
    );
    events.push(
      chargeRecorded({ psp, amountMinor: BigInt(amountMinor), recordedAt: at, paymentOrderId: orderId }),
      walletCredited({
        ...FIXTURE_SELLER,
        paymentOrderId: orderId,
        amountMinor: netOfFee(BigInt(amountMinor)),
      }),
    );
  }
  return { orderId, chargeId };
}

async function published(events: readonly EventEnvelope[]): Promise<void> {
  const byTopic = new Map<string, EventEnvelope[]>();
  for (const event of events) {
    const topic = event.type.startsWith('keel.ledger.')
      ? TOPICS.ledger
      : event.type.startsWith('keel.wallet.')
        ? TOPICS.wallet
        : TOPICS.paymentOrder;
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), event]);
  }
  for (const [topic, envelopes] of byTopic) await view.publish(topic, envelopes);
  await view.processedByInbox(events);
}

describe('matching a PSP day on the real PostgreSQL, Kafka and psp-sim', () => {
  it('classifies every settlement fault psp-sim injects, exactly, and re-running the day changes nothing', async () => {
    const dayMs = noonOf(20);
    const day = dayIn('UTC', new Date(dayMs));
    const previousDay = dayIn('UTC', new Date(dayMs - DAY_MS));
    const events: EventEnvelope[] = [];

    await charge('acme', 10_000, dayMs, events);
    const missingRow = await charge('acme', 20_000, dayMs, events);
    const unknown = await charge('acme', 30_000, dayMs, events, { keel: false });
    events.push(
      failed({
        psp: 'acme',
        paymentOrderId: unknown.orderId,
        amountMinor: 30_000n,
        at: new Date(dayMs).toISOString(),
      }),
    );
    const amount = await charge('acme', 40_000, dayMs, events);
    const currency = await charge('acme', 50_000, dayMs, events);
    const duplicate = await charge('acme', 60_000, dayMs, events);
    const fee = await charge('acme', 70_000, dayMs, events);
    const late = await charge('acme', 80_000, dayMs - DAY_MS, events);
    const missingRowFault = await sim.addSettlementFault({
      psp: 'acme',
      kind: 'missing_row',
      merchantReference: missingRow.orderId,
    });
    await sim.addSettlementFault({
      psp: 'acme',
      kind: 'amount_mismatch',
      merchantReference: amount.orderId,
      amountDeltaMinor: 5,
    });
    await sim.addSettlementFault({
      psp: 'acme',
      kind: 'currency_mismatch',
      merchantReference: currency.orderId,
    });
    await sim.addSettlementFault({
      psp: 'acme',
      kind: 'duplicate_row',
      merchantReference: duplicate.orderId,
    });
    await sim.addSettlementFault({
      psp: 'acme',
      kind: 'fee_mismatch',
      merchantReference: fee.orderId,
      feeDeltaMinor: 7,
    });
    await sim.addSettlementFault({ psp: 'acme', kind: 'late_row', merchantReference: late.orderId });
    await published(events);

    // The day before: its order's row comes a day late, so its own file lacks it.
    const before = await runOf('acme', previousDay);
    expect(before.summary.matching.counts).toEqual({ ...ZERO_COUNTS, missing_at_psp: 1 });
    expect(before.summary.matching.moneyAtRisk).toEqual({ KRW: '80000' });

    const first = await runOf('acme', day);

    expect(first.summary.matching).toEqual({
      counts: {
        ...ZERO_COUNTS,
        matched: 1,
        missing_in_keel: 1,
        missing_at_psp: 1,
        amount_mismatch: 2,
        fee_mismatch: 1,
        duplicate: 1,
        timing: 1,
      },
      // The late row settles the day before's missing_at_psp.
      discrepancies: { found: 6, opened: 6, resolved: 1 },
      moneyAtRisk: { KRW: String(20_000 + 30_000 + 5 + 50_000 + 60_000 + 7) },
      moneyAtRiskByClass: {
        missing_in_keel: { KRW: '30000' },
        missing_at_psp: { KRW: '20000' },
        amount_mismatch: { KRW: '50005' },
        fee_mismatch: { KRW: '7' },
        duplicate: { KRW: '60000' },
      },
    });
    const stored = await discrepanciesOf('acme', day);
    expect(
      stored.map((row) => [row.class, row.merchant_reference, row.money_at_risk_minor, row.status]),
    ).toEqual(
      [
        ['amount_mismatch', amount.orderId, '5', 'open'],
        ['amount_mismatch', currency.orderId, '50000', 'open'],
        ['duplicate', duplicate.orderId, '60000', 'open'],
        ['fee_mismatch', fee.orderId, '7', 'open'],
        ['missing_at_psp', missingRow.orderId, '20000', 'open'],
        ['missing_in_keel', unknown.orderId, '30000', 'open'],
      ].sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`)),
    );
    expect(stored.every((row) => row.first_run_id === first.id && row.last_run_id === first.id)).toBe(true);
    expect(await discrepanciesOf('acme', previousDay)).toEqual([
      expect.objectContaining({
        class: 'missing_at_psp',
        match_key: `${late.orderId}/${late.chargeId}`,
        status: 'resolved',
        resolved_by: 'reconciliation',
      }),
    ]);
    // Ledger: the six charges Keel recorded on the day; file: every charge row, the late one and the
    // duplicate included, less none refunded; the USD row is the currency mismatch.
    expect(first.summary.threeWayCheck.pspClearing).toEqual([
      {
        currency: 'KRW',
        ledgerMinor: '250000',
        settlementMinor: '350005',
        differenceMinor: '-100005',
        agrees: false,
      },
      {
        currency: 'USD',
        ledgerMinor: '0',
        settlementMinor: '50000',
        differenceMinor: '-50000',
        agrees: false,
      },
    ]);
    // Every charge Keel holds was credited to its seller as the ledger owes it.
    expect(first.summary.threeWayCheck.wallets).toMatchObject({ lagging: false, agrees: true });

    const again = await runOf('acme', day);

    expect(again.summary.file.alreadyIngested).toBe(true);
    expect(again.summary.matching).toEqual({
      ...first.summary.matching,
      discrepancies: { found: 6, opened: 0, resolved: 0 },
    });
    const storedAgain = await discrepanciesOf('acme', day);
    expect(storedAgain.map(({ last_run_id: _, ...row }) => row)).toEqual(
      stored.map(({ last_run_id: _, ...row }) => row),
    );
    expect(storedAgain.every((row) => row.last_run_id === again.id)).toBe(true);

    // The PSP reissues the file with the missing row: the key matches, and no longer counts as open.
    await sim.removeSettlementFault(missingRowFault.id);
    const reissued = await runOf('acme', day);

    expect(reissued.summary.file.alreadyIngested).toBe(false);
    expect(reissued.summary.matching.counts).toMatchObject({ matched: 2, missing_at_psp: 0 });
    expect(reissued.summary.matching.discrepancies).toEqual({ found: 5, opened: 0, resolved: 1 });
    expect(await discrepanciesOf('acme', day)).toContainEqual(
      expect.objectContaining({
        merchant_reference: missingRow.orderId,
        status: 'resolved',
        resolved_by: 'reconciliation',
      }),
    );
  });

  it('matches an orphan charge once refunded on both sides, and resolves its missing_in_keel', async () => {
    const dayMs = noonOf(25);
    const day = dayIn('UTC', new Date(dayMs));
    const events: EventEnvelope[] = [];
    const orphan = await charge('acme', 30_000, dayMs, events, { keel: false });
    events.push(
      failed({
        psp: 'acme',
        paymentOrderId: orphan.orderId,
        amountMinor: 30_000n,
        at: new Date(dayMs).toISOString(),
      }),
    );
    await published(events);
    const found = await runOf('acme', day);
    expect(found.summary.matching.counts).toEqual({ ...ZERO_COUNTS, missing_in_keel: 1 });

    // The executor's orphan refund: refunded at the PSP now, and announced.
    await acmeRefund(orphan.chargeId, 30_000);
    const now = new Date().toISOString();
    const spec = {
      psp: 'acme',
      paymentOrderId: orphan.orderId,
      pspReference: orphan.chargeId,
      amountMinor: 30_000n,
      detectedAt: now,
    };
    const refundEvents = [
      orphanDetected(spec),
      orphanRefunded({ ...spec, refundReference: `re_${randomUUID()}`, refundedAt: now }),
    ];
    await published(refundEvents);
    const today = dayIn('UTC', new Date());
    const refundDay = await runOf('acme', today);

    expect(refundDay.summary.matching.counts).toMatchObject({ matched: 1, missing_in_keel: 0 });
    expect(refundDay.summary.matching.discrepancies).toEqual({ found: 0, opened: 0, resolved: 1 });
    expect(await discrepanciesOf('acme', day)).toEqual([
      expect.objectContaining({
        class: 'missing_in_keel',
        match_key: `${orphan.orderId}/${orphan.chargeId}`,
        status: 'resolved',
        resolved_by: 'reconciliation',
      }),
    ]);
  });

  it.each(['acme', 'nova', 'swiftpay'] as const)(
    'reports zero discrepancies for a clean %s day',
    async (psp) => {
      const dayMs = noonOf(30);
      const day = dayIn(ZONES[psp], new Date(dayMs));
      const events: EventEnvelope[] = [];
      for (const amountMinor of [10_000, 12_345, 99_990]) await charge(psp, amountMinor, dayMs, events);
      await published(events);

      const run = await runOf(psp, day);

      expect(run.summary.matching).toEqual({
        counts: { ...ZERO_COUNTS, matched: 3 },
        discrepancies: { found: 0, opened: 0, resolved: 0 },
        moneyAtRisk: {},
        moneyAtRiskByClass: {},
      });
      expect(run.summary.threeWayCheck.pspClearing).toEqual([
        {
          currency: 'KRW',
          ledgerMinor: '122335',
          settlementMinor: '122335',
          differenceMinor: '0',
          agrees: true,
        },
      ]);
      expect(await discrepanciesOf(psp, day)).toEqual([]);
    },
  );

  it("finds nova's per-file fee over its contract as one fee_mismatch of the file", async () => {
    const dayMs = noonOf(35);
    const day = dayIn('Europe/Berlin', new Date(dayMs));
    const events: EventEnvelope[] = [];
    const order = await charge('nova', 10_000, dayMs, events);
    await charge('nova', 20_000, dayMs, events);
    await sim.addSettlementFault({
      psp: 'nova',
      kind: 'fee_mismatch',
      merchantReference: order.orderId,
      feeDeltaMinor: 3,
    });
    await published(events);

    const run = await runOf('nova', day);

    expect(run.summary.matching.counts).toEqual({ ...ZERO_COUNTS, matched: 2, fee_mismatch: 1 });
    expect(run.summary.matching.moneyAtRisk).toEqual({ KRW: '3' });
    expect(await discrepanciesOf('nova', day)).toEqual([
      expect.objectContaining({ class: 'fee_mismatch', match_key: 'file-fee/KRW', money_at_risk_minor: '3' }),
    ]);
  });
});

interface Answer<T> {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: T;
}

async function call<T>(
  method: 'GET' | 'POST',
  path: string,
  options: { role?: 'viewer' | 'operator'; json?: unknown } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = {
    authorization: operatorAuthorization(options.role ?? 'operator', { name: 'recon-test' }),
  };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${view.service.baseUrl}${path}`, {
    method,
    headers,
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
  });
  const contentType = response.headers.get('content-type');
  const text = await response.text();
  return {
    status: response.status,
    contentType,
    body: (contentType?.includes('json') === true ? JSON.parse(text) : text) as T,
  };
}

interface ApiDiscrepancy {
  readonly id: string;
  readonly class: string;
  readonly status: string;
  readonly merchantReference: string | null;
  readonly moneyAtRisk: { amountMinor: string; currency: string };
  readonly resolvedBy: string | null;
  readonly resolutionNote: string | null;
  readonly keel: Record<string, unknown> | null;
  readonly pspSide: { rows?: unknown[] };
  readonly notes?: { actor: string; note: string }[];
}

interface ApiPage {
  readonly data: ApiDiscrepancy[];
  readonly nextCursor: string | null;
}

describe('the discrepancies API', () => {
  it('lists with filters and cursor pages, resolves once and annotates (audited), and streams a run report', async () => {
    const dayMs = noonOf(40);
    const day = dayIn('Asia/Seoul', new Date(dayMs));
    const events: EventEnvelope[] = [];
    const unknown = await charge('swiftpay', 11_000, dayMs, events, { keel: false });
    const amount = await charge('swiftpay', 22_000, dayMs, events);
    const duplicate = await charge('swiftpay', 33_000, dayMs, events);
    await sim.addSettlementFault({
      psp: 'swiftpay',
      kind: 'amount_mismatch',
      merchantReference: amount.orderId,
    });
    await sim.addSettlementFault({
      psp: 'swiftpay',
      kind: 'duplicate_row',
      merchantReference: duplicate.orderId,
    });
    await published(events);
    const run = await runOf('swiftpay', day);
    expect(run.summary.matching.discrepancies.found).toBe(3);
    const filter = `psp=swiftpay&date=${day}`;

    const first = await call<ApiPage>('GET', `/v1/reconciliation/discrepancies?${filter}&limit=2`, {
      role: 'viewer',
    });
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(2);
    const second = await call<ApiPage>(
      'GET',
      `/v1/reconciliation/discrepancies?${filter}&limit=2&cursor=${first.body.nextCursor ?? ''}`,
      { role: 'viewer' },
    );
    expect(second.body).toMatchObject({ nextCursor: null });
    expect(
      [...first.body.data, ...second.body.data].map((row) => [row.class, row.merchantReference]).sort(),
    ).toEqual(
      [
        ['amount_mismatch', amount.orderId],
        ['duplicate', duplicate.orderId],
        ['missing_in_keel', unknown.orderId],
      ].sort(),
    );
    const duplicates = await call<ApiPage>(
      'GET',
      `/v1/reconciliation/discrepancies?${filter}&class=duplicate`,
      {
        role: 'viewer',
      },
    );
    expect(duplicates.body.data).toEqual([
      expect.objectContaining({
        class: 'duplicate',
        status: 'open',
        // Fixes are off here; a duplicate is never fixed automatically anyway.
        fix: null,
        moneyAtRisk: { amountMinor: '33000', currency: 'KRW' },
        keel: expect.objectContaining({ merchantReference: duplicate.orderId, amountMinor: '33000' }),
        pspSide: {
          rows: [
            expect.objectContaining({ amountMinor: '33000' }),
            expect.objectContaining({ amountMinor: '33000' }),
          ],
        },
      }),
    ]);
    const target = duplicates.body.data[0] as ApiDiscrepancy;
    for (const [query, code] of [
      ['cursor=bm90LWEtY3Vyc29y', 'invalid-cursor'],
      ['class=matched', 'validation-failed'],
    ] as const) {
      const refused = await call<{ type: string }>('GET', `/v1/reconciliation/discrepancies?${query}`, {
        role: 'viewer',
      });
      expect({ status: refused.status, contentType: refused.contentType }).toEqual({
        status: 400,
        contentType: expect.stringContaining('application/problem+json'),
      });
      expect(refused.body.type).toContain(code);
    }

    const asViewer = await call('POST', `/v1/reconciliation/discrepancies/${target.id}/resolve`, {
      role: 'viewer',
      json: { note: 'no' },
    });
    expect(asViewer.status).toBe(403);
    const resolved = await call<ApiDiscrepancy>(
      'POST',
      `/v1/reconciliation/discrepancies/${target.id}/resolve`,
      {
        json: { note: 'the PSP confirmed the duplicate is a file error, not a second charge' },
      },
    );
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolvedBy: 'recon-test',
      resolutionNote: 'the PSP confirmed the duplicate is a file error, not a second charge',
    });
    const again = await call<{ type: string }>(
      'POST',
      `/v1/reconciliation/discrepancies/${target.id}/resolve`,
      {
        json: { note: 'twice' },
      },
    );
    expect(again.status).toBe(409);
    expect(again.body.type).toContain('discrepancy-already-resolved');
    const unknownId = await call<{ type: string }>(
      'POST',
      `/v1/reconciliation/discrepancies/${randomUUID()}/notes`,
      { json: { note: 'anyone?' } },
    );
    expect(unknownId.status).toBe(404);
    expect(unknownId.body.type).toContain('discrepancy-not-found');
    const noted = await call('POST', `/v1/reconciliation/discrepancies/${target.id}/notes`, {
      json: { note: 'ticket PSP-1234' },
    });
    expect(noted.status).toBe(201);
    const read = await call<ApiDiscrepancy>('GET', `/v1/reconciliation/discrepancies/${target.id}`, {
      role: 'viewer',
    });
    expect(read.body.notes).toEqual([
      expect.objectContaining({ actor: 'recon-test', note: 'ticket PSP-1234' }),
    ]);
    expect(
      await view.queryRows(`SELECT actor, action, status FROM operator_audit WHERE target = $1 ORDER BY id`, [
        `discrepancy:${target.id}`,
      ]),
    ).toEqual([
      { actor: 'recon-test', action: 'reconciliation_discrepancies.resolve', status: 200 },
      { actor: 'recon-test', action: 'reconciliation_discrepancies.resolve', status: 409 },
      { actor: 'recon-test', action: 'reconciliation_discrepancies.annotate', status: 201 },
    ]);

    // A person's resolution stands when the day is run again.
    await runOf('swiftpay', day);
    expect((await discrepanciesOf('swiftpay', day)).find((row) => row.id === target.id)).toMatchObject({
      status: 'resolved',
      resolved_by: 'recon-test',
    });

    const report = await call<string>('GET', `/v1/reconciliation/runs/${run.id}/report.csv`, {
      role: 'viewer',
    });
    expect({ status: report.status, contentType: report.contentType }).toEqual({
      status: 200,
      contentType: 'text/csv; charset=utf-8',
    });
    const lines = report.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'run_id,psp,settlement_date,class,status,merchant_reference,psp_reference,money_at_risk_minor,currency,reason,first_run_id,last_run_id,resolved_by,resolved_at,resolution_note,fix',
    );
    expect(lines.slice(1).map((line) => line.split(',').slice(3, 6))).toEqual([
      ['amount_mismatch', 'open', amount.orderId],
      ['duplicate', 'resolved', duplicate.orderId],
      ['missing_in_keel', 'open', unknown.orderId],
    ]);
    const noRun = await call<{ type: string }>('GET', `/v1/reconciliation/runs/${randomUUID()}/report.csv`, {
      role: 'viewer',
    });
    expect(noRun.status).toBe(404);
    expect(noRun.body.type).toContain('reconciliation-run-not-found');
  });
});

/** The events on keel.reconciliation.v1 so far, parsed (and so validated against their contracts). */
function announcements(): EventEnvelope<Record<string, unknown>>[] {
  return announced.records.map((record) => {
    const parsed = parseKafkaRecord<Record<string, unknown>>(record);
    if (!parsed.ok)
      throw new Error(`keel.reconciliation.v1 carries a record its contract refuses: ${parsed.detail}`);
    return parsed.envelope;
  });
}

async function metricsText(): Promise<string> {
  const response = await fetch(`${view.service.baseUrl}/metrics`, {
    headers: { authorization: operatorAuthorization('viewer') },
  });
  return response.text();
}

function metricValue(text: string, name: string, labels: readonly string[]): number {
  const line = text
    .split('\n')
    .find((each) => each.startsWith(`${name}{`) && labels.every((label) => each.includes(label)));
  return line === undefined ? Number.NaN : Number(line.split(' ').at(-1));
}

describe("reconciliation's events and metrics", () => {
  it('announces a run, what it opened and what an operator resolved, and exposes gauges an alert can use', async () => {
    const dayMs = noonOf(45);
    const day = dayIn('UTC', new Date(dayMs));
    const events: EventEnvelope[] = [];
    const unknown = await charge('acme', 15_000, dayMs, events, { keel: false });
    const amount = await charge('acme', 25_000, dayMs, events);
    await sim.addSettlementFault({ psp: 'acme', kind: 'amount_mismatch', merchantReference: amount.orderId });
    await published(events);
    const runsBefore = metricValue(await metricsText(), 'keel_reconciliation_runs_total', [
      'psp="acme"',
      'status="completed"',
    ]);

    const run = await runOf('acme', day);

    const ofRun = await waitFor(
      () => {
        const found = announcements().filter((event) => event.data['runId'] === run.id);
        return found.length === 3 && found;
      },
      { description: "the run's three events" },
    );
    expect(ofRun.map((event) => event.type).sort()).toEqual([
      'keel.reconciliation.discrepancy_opened.v1',
      'keel.reconciliation.discrepancy_opened.v1',
      'keel.reconciliation.run_completed.v1',
    ]);
    expect(ofRun.find((event) => event.type.endsWith('run_completed.v1'))?.data).toMatchObject({
      pspId: 'acme',
      settlementDate: day,
      fileId: run.fileId,
      counts: { ...ZERO_COUNTS, missing_in_keel: 1, amount_mismatch: 1 },
      discrepancyCount: 2,
      openedCount: 2,
      resolvedCount: 0,
      moneyAtRisk: [{ amountMinor: '15001', currency: 'KRW' }],
    });
    const opened = ofRun
      .filter((event) => event.type.endsWith('discrepancy_opened.v1'))
      .map((event) => [event.data['class'], event.data['merchantReference'], event.data['moneyAtRisk']])
      .sort();
    expect(opened).toEqual([
      ['amount_mismatch', amount.orderId, { amountMinor: '1', currency: 'KRW' }],
      ['missing_in_keel', unknown.orderId, { amountMinor: '15000', currency: 'KRW' }],
    ]);

    const [missing] = (await discrepanciesOf('acme', day)).filter((row) => row.class === 'missing_in_keel');
    await call('POST', `/v1/reconciliation/discrepancies/${missing?.id ?? ''}/resolve`, {
      json: { note: 'refunded by hand at the PSP' },
    });
    const resolvedEvent = await waitFor(
      () =>
        announcements().find(
          (event) =>
            event.type.endsWith('discrepancy_resolved.v1') && event.data['discrepancyId'] === missing?.id,
        ),
      { description: 'the discrepancy_resolved event' },
    );
    expect(resolvedEvent.data).toMatchObject({
      class: 'missing_in_keel',
      resolvedBy: 'recon-test',
      note: 'refunded by hand at the PSP',
    });

    // The gauges read the table: they show every open discrepancy, whichever run or instance made it.
    const open = await view.queryRows<{ class: string; count: number }>(
      `SELECT class, count(*)::int AS count FROM discrepancies WHERE status = 'open' GROUP BY class`,
    );
    const [atRisk] = await view.queryRows<{ amount: string }>(
      `SELECT sum(money_at_risk_minor)::text AS amount FROM discrepancies WHERE status = 'open' AND currency = 'KRW'`,
    );
    const text = await metricsText();
    for (const row of open) {
      expect(metricValue(text, 'keel_reconciliation_open_discrepancies', [`class="${row.class}"`])).toBe(
        row.count,
      );
    }
    expect(metricValue(text, 'keel_reconciliation_open_discrepancies', ['class="status_mismatch"'])).toBe(0);
    expect(metricValue(text, 'keel_reconciliation_money_at_risk_minor', ['currency="KRW"'])).toBe(
      Number(atRisk?.amount),
    );
    expect(metricValue(text, 'keel_reconciliation_runs_total', ['psp="acme"', 'status="completed"'])).toBe(
      (Number.isNaN(runsBefore) ? 0 : runsBefore) + 1,
    );
  });
});

/** Refunds an acme charge now, as the executor's orphan refund does (acme's payment API). */
async function acmeRefund(chargeId: string, amountMinor: number): Promise<void> {
  const response = await fetch(`${sim.url('acme')}/acme/v1/charges/${chargeId}/refunds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer acme_test_key' },
    body: JSON.stringify({ amount: amountMinor }),
  });
  if (!response.ok) throw new Error(`acme refund answered ${response.status}: ${await response.text()}`);
}
