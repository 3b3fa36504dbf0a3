import { randomUUID } from 'node:crypto';
import {
  buildEnvelope,
  dlqTopicOf,
  RECONCILIATION_EVENT_TYPES,
  TOPICS,
  type ReconciliationFeeAdjustmentRequestedPayload,
} from '@keel/contracts';
import { TopicReader, waitFor } from '@keel/testing';
import { startLedger, type LedgerHarness } from '../../test/ledger-harness';
import { getJson, produce, uniqueId } from '../../test/ledger.fixture';
import type { AccountView } from '../queries/account.view';

jest.setTimeout(60_000);

let ledger: LedgerHarness;
let reconciliationTopic: string;
let deadLetters: TopicReader;

beforeAll(async () => {
  ledger = await startLedger();
  reconciliationTopic = ledger.namespace.topic(TOPICS.reconciliation);
  deadLetters = await TopicReader.start(ledger.namespace.kafka, dlqTopicOf(reconciliationTopic));
});

afterAll(async () => {
  await deadLetters?.stop();
  await ledger?.stop();
});

function adjustment(
  pspId: string,
  amountMinor: string,
  overrides: Partial<ReconciliationFeeAdjustmentRequestedPayload> = {},
): ReconciliationFeeAdjustmentRequestedPayload {
  return {
    discrepancyId: randomUUID(),
    runId: randomUUID(),
    pspId,
    settlementDate: '2026-01-01',
    merchantReference: `po_${randomUUID()}`,
    difference: { amountMinor, currency: 'KRW' },
    reason: `the PSP kept more than its contract (run r1)`,
    requestedAt: new Date().toISOString(),
    ...overrides,
  };
}

function adjustmentEvent(data: ReconciliationFeeAdjustmentRequestedPayload) {
  return buildEnvelope({
    type: RECONCILIATION_EVENT_TYPES.feeAdjustmentRequested,
    source: '/keel/reconciliation',
    data,
  });
}

async function balanceOf(accountId: string): Promise<string> {
  const response = await getJson<AccountView>(ledger.baseUrl, `/v1/accounts/${accountId}`);
  expect(response.status).toBe(200);
  return response.body.balance.amountMinor;
}

describe("reconciliation's PSP fee adjustments", () => {
  it('posts one balanced entry with its reason per discrepancy, however often it is asked, and announces it', async () => {
    const pspId = uniqueId('psp');
    const over = adjustment(pspId, '7');
    const under = adjustment(pspId, '-3', { merchantReference: undefined });
    await produce(ledger.producer, reconciliationTopic, [
      adjustmentEvent(over),
      adjustmentEvent(over),
      adjustmentEvent(under),
    ]);
    const [recorded] = await ledger.allRecordedFor(over.discrepancyId);
    await ledger.allRecordedFor(under.discrepancyId);
    // A re-run of the day asks again, under a new event id.
    await produce(ledger.producer, reconciliationTopic, [adjustmentEvent(over)]);
    const sentinel = adjustment(pspId, '1');
    await produce(ledger.producer, reconciliationTopic, [adjustmentEvent(sentinel)]);
    await ledger.allRecordedFor(sentinel.discrepancyId);

    expect(recorded?.key).toBe(over.discrepancyId);
    expect(recorded?.payload).toMatchObject({
      paymentOrderId: over.discrepancyId,
      paymentId: over.discrepancyId,
      kind: 'psp_fee_adjustment',
      reason: over.reason,
      postings: [
        {
          accountId: `psp_fee_expense:${pspId}:KRW`,
          direction: 'debit',
          amount: { amountMinor: '7', currency: 'KRW' },
        },
        {
          accountId: `psp_clearing:${pspId}:KRW`,
          direction: 'credit',
          amount: { amountMinor: '7', currency: 'KRW' },
        },
      ],
    });
    expect(
      await ledger.dataSource.query(
        `SELECT reference, reason, posting_count FROM ledger_transactions
         WHERE kind = 'psp_fee_adjustment' AND reference = ANY($1::text[]) ORDER BY reference`,
        [[over.discrepancyId, under.discrepancyId]],
      ),
    ).toEqual(
      [
        { reference: over.discrepancyId, reason: over.reason, posting_count: 2 },
        { reference: under.discrepancyId, reason: under.reason, posting_count: 2 },
      ].sort((a, b) => a.reference.localeCompare(b.reference)),
    );
    // 7 over, 3 under, 1 over: an expense of 5 held back from clearing.
    expect(await balanceOf(`psp_fee_expense:${pspId}:KRW`)).toBe('5');
    expect(await balanceOf(`psp_clearing:${pspId}:KRW`)).toBe('-5');
  });

  it('dead-letters an adjustment of zero and posts nothing for it', async () => {
    const zero = adjustment(uniqueId('psp'), '0');
    await produce(ledger.producer, reconciliationTopic, [adjustmentEvent(zero)]);

    await waitFor(() => deadLetters.records.length === 1, {
      description: 'the zero adjustment dead-lettered',
    });
    expect(
      await ledger.dataSource.query(`SELECT id FROM ledger_transactions WHERE reference = $1`, [
        zero.discrepancyId,
      ]),
    ).toEqual([]);
  });
});
