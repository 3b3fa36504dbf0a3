// Reconciliation's automatic fixes end to end: reconciliation in this process, the executor, the
// ledger and the wallet as processes of their own, psp-sim, one topic namespace, real Kafka and
// PostgreSQL. A refund is on the settlement file of the day it was made (psp-sim's movementsOf), and
// matching matches it there against Keel's refund: an orphan charge refunded the day it was charged
// matches on a re-run of that day (its file reissued with the refund row); one of an earlier day on
// the run of the refund's day, which resolves the earlier day's missing_in_keel.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseKafkaRecord, TOPICS, type EventEnvelope } from '@keel/contracts';
import { PspSimProcess } from '@keel/local-system';
import { dayIn } from '@keel/reconciliation-domain';
import { operatorAuthorization, waitFor, type TopicReader } from '@keel/testing';
import { KeelViewFixture, newOrderId } from '../../test/keel-view-fixture';
import { executionRequests, KeelServices, type CardOrder } from '../../test/keel-services';
import type { MatchingSummary } from '../matching/matching.step';
import type { ThreeWayCheckSummary } from '../matching/three-way-check.step';
import type { ReconciliationRun } from '../runs/reconciliation-run';
import type { AutomaticFixesSummary } from './automatic-fixes.step';
import { completedRunOf } from '../../test/completed-run';

jest.setTimeout(300_000);

const DAY_MS = 86_400_000;
const ZONES = { acme: 'UTC', nova: 'Europe/Berlin', swiftpay: 'Asia/Seoul' } as const;
type Psp = keyof typeof ZONES;
/** A case of "today" starts at least this long before the day ends in every PSP's zone. */
const DAY_END_MARGIN_MS = 180_000;

let sim: PspSimProcess;
let view: KeelViewFixture;
let services: KeelServices;
let announced: TopicReader;

beforeAll(async () => {
  sim = await PspSimProcess.start();
  view = await KeelViewFixture.start(sim.pspUrls());
  announced = await view.service.startReader(view.service.namespace.topic(TOPICS.reconciliation));
  services = await KeelServices.start(view.service.namespace, sim);
});

afterAll(async () => {
  await services?.stop();
  await announced?.stop();
  await view?.stop();
  await sim?.stop();
});

beforeEach(async () => {
  // A case's charges, refunds and runs of "today" must all fall on one day in the PSP's zone.
  const now = Date.now();
  const ending = Object.values(ZONES).some(
    (zone) => dayIn(zone, new Date(now)) !== dayIn(zone, new Date(now + DAY_END_MARGIN_MS)),
  );
  if (ending) await sleep(DAY_END_MARGIN_MS);
});

interface FixedRun extends ReconciliationRun {
  readonly summary: ReconciliationRun['summary'] & {
    readonly file: { readonly alreadyIngested: boolean };
    readonly matching: MatchingSummary;
    readonly automaticFixes: AutomaticFixesSummary;
    readonly threeWayCheck: ThreeWayCheckSummary;
  };
}

function runOf(psp: Psp, date: string): Promise<FixedRun> {
  return completedRunOf<FixedRun>(view.service.baseUrl, psp, date);
}

interface StoredDiscrepancy {
  id: string;
  class: string;
  merchant_reference: string | null;
  money_at_risk_minor: string;
  status: string;
  fix: string | null;
  resolved_by: string | null;
  resolution_note: string | null;
}

function discrepanciesOf(psp: Psp, date: string): Promise<StoredDiscrepancy[]> {
  return view.queryRows<StoredDiscrepancy>(
    `SELECT id, class, merchant_reference, money_at_risk_minor::text, status, fix, resolved_by, resolution_note
     FROM discrepancies WHERE psp = $1 AND settlement_date = $2 ORDER BY class`,
    [psp, date],
  );
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

const NO_FIXES: AutomaticFixesSummary = {
  enabled: true,
  refundsRequested: 0,
  feeAdjustmentsRequested: 0,
  leftForAPerson: 0,
};

/**
 * Card orders charged at `psp` through the executor, as the payment service asks for them: the
 * executor charges psp-sim, and the ledger, the wallet and reconciliation's view take its successes
 * in. Waits until the view holds each order's success, ledger entry and wallet credit.
 */
async function chargedThroughKeel(psp: Psp, amountsMinor: readonly number[]): Promise<CardOrder[]> {
  const orders = amountsMinor.map((amountMinor) => ({
    paymentOrderId: newOrderId(),
    amountMinor,
    platformFeeMinor: amountMinor / 100,
  }));
  await services.routeCardsTo(psp);
  await view.publish(TOPICS.paymentOrder, executionRequests(orders));
  const ids = orders.map((order) => order.paymentOrderId);
  await services.succeeded(ids);
  await waitFor(
    async () => {
      const [seen] = await view.queryRows<{ orders: number; entries: number; credits: number }>(
        `SELECT (SELECT count(*)::int FROM keel_payment_orders WHERE payment_order_id = ANY($1) AND status = 'succeeded') AS orders,
                (SELECT count(*)::int FROM keel_psp_clearing_movements WHERE payment_order_id = ANY($1)) AS entries,
                (SELECT count(*)::int FROM keel_wallet_credits WHERE payment_order_id = ANY($1)) AS credits`,
        [ids],
      );
      return seen?.orders === ids.length && seen.entries === ids.length && seen.credits === ids.length;
    },
    {
      timeoutMs: 60_000,
      description: "the orders' successes, ledger entries and wallet credits in the view",
    },
  );
  return orders;
}

/** A charge at `psp` under a new order id that Keel never saw (psp-sim's unknown_charge). */
async function chargeKeelNeverSaw(psp: Psp, amountMinor: number, atMs: number): Promise<string> {
  const orderId = newOrderId();
  await sim.addSettlementFault({
    psp,
    kind: 'unknown_charge',
    amountMinor,
    currency: 'KRW',
    occurredAtMs: atMs,
    merchantReference: orderId,
  });
  return orderId;
}

/** Waits until psp-sim shows the order's charge refunded in full, and reconciliation's view the executor's refund and the ledger's entries of it. */
async function refundedEverywhere(orderId: string, amountMinor: number): Promise<void> {
  await waitFor(
    async () => {
      const [charge] = (await sim.charges(orderId)) as unknown as { refundedAmountMinor: string }[];
      return charge?.refundedAmountMinor === String(amountMinor);
    },
    { timeoutMs: 60_000, description: `the executor's refund of ${orderId} at psp-sim` },
  );
  await waitFor(
    async () => {
      const [seen] = await view.queryRows<{ refunds: number; entries: number }>(
        `SELECT (SELECT count(*)::int FROM keel_refunds WHERE payment_order_id = $1) AS refunds,
                (SELECT count(*)::int FROM keel_psp_clearing_movements WHERE payment_order_id = $1) AS entries`,
        [orderId],
      );
      // The ledger's orphan charge and its refund.
      return seen?.refunds === 1 && seen.entries === 2;
    },
    { timeoutMs: 60_000, description: `the refund of ${orderId} and its ledger entries in the view` },
  );
}

interface LedgerEntryRow {
  kind: string;
  reference: string;
  reason: string | null;
  account_id: string;
  amount_minor: string;
}

function ledgerEntriesOf(references: readonly string[]): Promise<LedgerEntryRow[]> {
  return services.ledgerRows<LedgerEntryRow>(
    `SELECT t.kind, t.reference, t.reason, p.account_id, p.amount_minor::text
     FROM ledger_transactions t JOIN postings p ON p.transaction_id = t.id
     WHERE t.reference = ANY($1) ORDER BY t.kind, p.account_id`,
    [references],
  );
}

/** The fixes reconciliation asked for on Kafka so far, by type. */
function fixRequests(): {
  refunds: EventEnvelope<Record<string, unknown>>[];
  feeAdjustments: EventEnvelope<Record<string, unknown>>[];
} {
  const events = announced.records.map((record) => {
    const parsed = parseKafkaRecord<Record<string, unknown>>(record);
    if (!parsed.ok)
      throw new Error(`keel.reconciliation.v1 carries a record its contract refuses: ${parsed.detail}`);
    return parsed.envelope;
  });
  return {
    refunds: events.filter((event) => event.type.endsWith('orphan_refund_requested.v1')),
    feeAdjustments: events.filter((event) => event.type.endsWith('fee_adjustment_requested.v1')),
  };
}

/** Waits until the run's run_completed is on Kafka: what the run's transaction published before it is there too. */
async function announcedRun(runId: string): Promise<void> {
  await waitFor(
    () =>
      announced.records.some((record) => {
        const parsed = parseKafkaRecord<Record<string, unknown>>(record);
        return (
          parsed.ok &&
          parsed.envelope.type.endsWith('run_completed.v1') &&
          parsed.envelope.data['runId'] === runId
        );
      }),
    { description: `run_completed of ${runId}` },
  );
}

describe("reconciliation's automatic fixes across the executor, the ledger and the wallet", () => {
  it('refunds an orphan charge at the PSP and matches it on the re-run, adjusts a fee once, and reports both exactly', async () => {
    const today = dayIn(ZONES.acme, new Date());
    const [matched, feeOrder] = await chargedThroughKeel('acme', [10_000, 70_000]);
    if (matched === undefined || feeOrder === undefined) throw new Error('two orders were charged');
    await sim.addSettlementFault({
      psp: 'acme',
      kind: 'fee_mismatch',
      merchantReference: feeOrder.paymentOrderId,
      feeDeltaMinor: 7,
    });
    const orphan = await chargeKeelNeverSaw('acme', 30_000, Date.now());

    const first = await runOf('acme', today);

    expect(first.summary.matching).toEqual({
      counts: { ...ZERO_COUNTS, matched: 1, missing_in_keel: 1, fee_mismatch: 1 },
      discrepancies: { found: 2, opened: 2, resolved: 0 },
      moneyAtRisk: { KRW: '30007' },
      moneyAtRiskByClass: { missing_in_keel: { KRW: '30000' }, fee_mismatch: { KRW: '7' } },
    });
    expect(first.summary.automaticFixes).toEqual({
      ...NO_FIXES,
      refundsRequested: 1,
      feeAdjustmentsRequested: 1,
    });
    // The ledger has the two charges Keel made; the file also the orphan charge.
    expect(first.summary.threeWayCheck.pspClearing).toEqual([
      {
        currency: 'KRW',
        ledgerMinor: '80000',
        settlementMinor: '110000',
        differenceMinor: '-30000',
        agrees: false,
      },
    ]);
    expect(first.summary.threeWayCheck.wallets).toMatchObject({ lagging: false, agrees: true });
    const opened = await discrepanciesOf('acme', today);
    expect(
      opened.map((row) => [row.class, row.merchant_reference, row.money_at_risk_minor, row.status, row.fix]),
    ).toEqual([
      ['fee_mismatch', feeOrder.paymentOrderId, '7', 'open', 'fee_adjustment_requested'],
      ['missing_in_keel', orphan, '30000', 'open', 'refund_requested'],
    ]);
    const feeDiscrepancy = opened[0] as StoredDiscrepancy;

    // The executor refunds the charge at psp-sim and the ledger records it; the ledger journals the
    // fee adjustment, and reconciliation's view, seeing it, resolves the fee discrepancy.
    await refundedEverywhere(orphan, 30_000);
    const feeResolved = await waitFor(
      async () => {
        const row = (await discrepanciesOf('acme', today)).find((each) => each.id === feeDiscrepancy.id);
        return row?.status === 'resolved' && row;
      },
      { timeoutMs: 60_000, description: 'the fee discrepancy resolved by the ledger’s adjustment' },
    );
    const [adjustment] = await services.ledgerRows<{ id: string }>(
      `SELECT id FROM ledger_transactions WHERE kind = 'psp_fee_adjustment' AND reference = $1`,
      [feeDiscrepancy.id],
    );
    expect(feeResolved).toMatchObject({
      resolved_by: 'reconciliation',
      resolution_note: `fee adjusted in ledger: ${adjustment?.id}`,
    });

    // The file reissued with the refund row: the orphan's charge and refund match Keel's.
    const second = await runOf('acme', today);

    expect(second.summary.file.alreadyIngested).toBe(false);
    expect(second.summary.matching).toEqual({
      counts: { ...ZERO_COUNTS, matched: 2, fee_mismatch: 1 },
      discrepancies: { found: 1, opened: 0, resolved: 1 },
      moneyAtRisk: { KRW: '7' },
      moneyAtRiskByClass: { fee_mismatch: { KRW: '7' } },
    });
    expect(second.summary.automaticFixes).toEqual(NO_FIXES);
    // Charges less the refund on both sides; the fee adjustment is not a movement the file's net holds.
    expect(second.summary.threeWayCheck.pspClearing).toEqual([
      { currency: 'KRW', ledgerMinor: '80000', settlementMinor: '80000', differenceMinor: '0', agrees: true },
    ]);
    expect(second.summary.threeWayCheck.wallets).toMatchObject({ lagging: false, agrees: true });
    expect(
      (await discrepanciesOf('acme', today)).map((row) => [row.class, row.status, row.resolved_by, row.fix]),
    ).toEqual([
      ['fee_mismatch', 'resolved', 'reconciliation', 'fee_adjustment_requested'],
      ['missing_in_keel', 'resolved', 'reconciliation', 'refund_requested'],
    ]);

    const third = await runOf('acme', today);

    expect(third.summary.file.alreadyIngested).toBe(true);
    expect(third.summary.matching).toEqual({
      ...second.summary.matching,
      discrepancies: { found: 1, opened: 0, resolved: 0 },
    });
    expect(third.summary.automaticFixes).toEqual(NO_FIXES);
    await announcedRun(third.id);
    const requests = fixRequests();
    expect(requests.refunds.map((event) => event.data['paymentOrderId'])).toEqual([orphan]);
    expect(requests.feeAdjustments.map((event) => event.data['discrepancyId'])).toEqual([feeDiscrepancy.id]);
    // One balanced adjustment of the 7 KRW acme kept over contract; the orphan charged and refunded once.
    expect(await ledgerEntriesOf([feeDiscrepancy.id, orphan])).toEqual([
      {
        kind: 'orphan_charge',
        reference: orphan,
        reason: null,
        account_id: 'orphan_refund_payable:acme:KRW',
        amount_minor: '-30000',
      },
      {
        kind: 'orphan_charge',
        reference: orphan,
        reason: null,
        account_id: 'psp_clearing:acme:KRW',
        amount_minor: '30000',
      },
      {
        kind: 'orphan_charge_refund',
        reference: orphan,
        reason: null,
        account_id: 'orphan_refund_payable:acme:KRW',
        amount_minor: '30000',
      },
      {
        kind: 'orphan_charge_refund',
        reference: orphan,
        reason: null,
        account_id: 'psp_clearing:acme:KRW',
        amount_minor: '-30000',
      },
      {
        kind: 'psp_fee_adjustment',
        reference: feeDiscrepancy.id,
        reason: expect.stringContaining(`discrepancy ${feeDiscrepancy.id}`),
        account_id: 'psp_clearing:acme:KRW',
        amount_minor: '-7',
      },
      {
        kind: 'psp_fee_adjustment',
        reference: feeDiscrepancy.id,
        reason: expect.stringContaining(`discrepancy ${feeDiscrepancy.id}`),
        account_id: 'psp_fee_expense:acme:KRW',
        amount_minor: '7',
      },
    ]);

    const report = await fetch(`${view.service.baseUrl}/v1/reconciliation/runs/${first.id}/report.csv`, {
      headers: { authorization: operatorAuthorization('viewer') },
    });
    const lines = (await report.text()).trimEnd().split('\r\n');
    const header = (lines[0] ?? '').split(',');
    const column = (name: string) => header.indexOf(name);
    expect(
      lines
        .slice(1)
        .map((line) => line.split(','))
        .map((cells) => ['class', 'status', 'money_at_risk_minor', 'fix'].map((name) => cells[column(name)])),
    ).toEqual([
      ['fee_mismatch', 'resolved', '7', 'fee_adjustment_requested'],
      ['missing_in_keel', 'resolved', '30000', 'refund_requested'],
    ]);
  });

  it("matches an earlier day's orphan charge on the run of its refund's day, and a re-run of its day asks nothing again", async () => {
    const chargedAtMs = Date.now() - 3 * DAY_MS;
    const chargeDay = dayIn(ZONES.swiftpay, new Date(chargedAtMs));
    const refundDay = dayIn(ZONES.swiftpay, new Date());
    const orphan = await chargeKeelNeverSaw('swiftpay', 25_000, chargedAtMs);

    const found = await runOf('swiftpay', chargeDay);

    expect(found.summary.matching).toEqual({
      counts: { ...ZERO_COUNTS, missing_in_keel: 1 },
      discrepancies: { found: 1, opened: 1, resolved: 0 },
      moneyAtRisk: { KRW: '25000' },
      moneyAtRiskByClass: { missing_in_keel: { KRW: '25000' } },
    });
    expect(found.summary.automaticFixes).toEqual({ ...NO_FIXES, refundsRequested: 1 });
    await refundedEverywhere(orphan, 25_000);

    // Its day's file still shows the charge alone — the same file, cut when its day ended: still
    // missing_in_keel, its refund already asked for, not asked again.
    const rerun = await runOf('swiftpay', chargeDay);

    expect(rerun.summary.file.alreadyIngested).toBe(true);
    expect(rerun.summary.matching).toEqual({
      ...found.summary.matching,
      discrepancies: { found: 1, opened: 0, resolved: 0 },
    });
    expect(rerun.summary.automaticFixes).toEqual(NO_FIXES);

    const refunded = await runOf('swiftpay', refundDay);

    expect(refunded.summary.matching).toEqual({
      counts: { ...ZERO_COUNTS, matched: 1 },
      discrepancies: { found: 0, opened: 0, resolved: 1 },
      moneyAtRisk: {},
      moneyAtRiskByClass: {},
    });
    // The ledger recorded the orphan charge when the executor learnt of it, on the refund's day, and
    // its refund; the file of that day holds the refund alone (the charge was on its own day's file).
    expect(refunded.summary.threeWayCheck.pspClearing).toEqual([
      {
        currency: 'KRW',
        ledgerMinor: '0',
        settlementMinor: '-25000',
        differenceMinor: '25000',
        agrees: false,
      },
    ]);
    expect(await discrepanciesOf('swiftpay', chargeDay)).toEqual([
      expect.objectContaining({
        class: 'missing_in_keel',
        merchant_reference: orphan,
        status: 'resolved',
        resolved_by: 'reconciliation',
        fix: 'refund_requested',
      }),
    ]);
    await announcedRun(refunded.id);
    expect(fixRequests().refunds.filter((event) => event.data['paymentOrderId'] === orphan)).toHaveLength(1);
  });

  it('reports zero discrepancies and asks for no fix on a clean day', async () => {
    const today = dayIn(ZONES.nova, new Date());
    await chargedThroughKeel('nova', [10_000, 12_300, 99_900]);

    const run = await runOf('nova', today);

    expect(run.summary.matching).toEqual({
      counts: { ...ZERO_COUNTS, matched: 3 },
      discrepancies: { found: 0, opened: 0, resolved: 0 },
      moneyAtRisk: {},
      moneyAtRiskByClass: {},
    });
    expect(run.summary.automaticFixes).toEqual(NO_FIXES);
    expect(run.summary.threeWayCheck.pspClearing).toEqual([
      {
        currency: 'KRW',
        ledgerMinor: '122200',
        settlementMinor: '122200',
        differenceMinor: '0',
        agrees: true,
      },
    ]);
    expect(run.summary.threeWayCheck.wallets).toMatchObject({ lagging: false, agrees: true });
    expect(await discrepanciesOf('nova', today)).toEqual([]);
  });
});
