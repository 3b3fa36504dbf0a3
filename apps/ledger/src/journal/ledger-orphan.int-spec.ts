import {
  buildEnvelope,
  ORPHAN_CHARGE_EVENT_TYPES,
  type OrphanChargeDetectedPayload,
  type OrphanChargeRefundedPayload,
} from '@keel/contracts';
import { waitFor } from '@keel/testing';
import { startLedger, type LedgerHarness } from '../../test/ledger-harness';
import {
  getJson,
  orphanDetectedPayload,
  orphanRefundedPayload,
  produce,
  recordedEventOf,
  uniqueId,
  type RecordedEvent,
} from '../../test/ledger.fixture';
import type { AccountView } from '../queries/account.view';
import type { TransactionList } from '../queries/transaction.view';

jest.setTimeout(60_000);

let ledger: LedgerHarness;

beforeAll(async () => {
  ledger = await startLedger();
});

afterAll(() => ledger.stop());

function orphanEvent(type: string, data: OrphanChargeDetectedPayload | OrphanChargeRefundedPayload) {
  return buildEnvelope({ type, source: '/keel/executor', data });
}

function recordedOf(paymentOrderId: string, kind: string): Promise<RecordedEvent> {
  return waitFor(
    () =>
      ledger.ledgerTopic.records
        .map(recordedEventOf)
        .find((event) => event.payload.paymentOrderId === paymentOrderId && event.payload.kind === kind),
    { description: `${kind} recorded for ${paymentOrderId}` },
  );
}

async function balanceOf(accountId: string): Promise<string> {
  const response = await getJson<AccountView>(ledger.baseUrl, `/v1/accounts/${accountId}`);
  expect(response.status).toBe(200);
  return response.body.balance.amountMinor;
}

describe('orphan charges', () => {
  it('owes a detected orphan charge back to the buyer, and settles it on refund, each once', async () => {
    const pspId = uniqueId('psp');
    const detected = orphanDetectedPayload(pspId, '15000');
    const refunded = orphanRefundedPayload(detected);
    // Each event twice (two event ids): the journal records each movement once.
    await produce(ledger.producer, ledger.paymentOrderTopic, [
      orphanEvent(ORPHAN_CHARGE_EVENT_TYPES.detected, detected),
      orphanEvent(ORPHAN_CHARGE_EVENT_TYPES.detected, detected),
    ]);

    const charge = await recordedOf(detected.paymentOrderId, 'orphan_charge');
    expect(charge.key).toBe(detected.paymentOrderId);
    expect(charge.payload.postings).toEqual([
      {
        accountId: `psp_clearing:${pspId}:KRW`,
        direction: 'debit',
        amount: { amountMinor: '15000', currency: 'KRW' },
      },
      {
        accountId: `orphan_refund_payable:${pspId}:KRW`,
        direction: 'credit',
        amount: { amountMinor: '15000', currency: 'KRW' },
      },
    ]);
    expect(await balanceOf(`orphan_refund_payable:${pspId}:KRW`)).toBe('15000');
    expect(await balanceOf(`psp_clearing:${pspId}:KRW`)).toBe('15000');

    await produce(ledger.producer, ledger.paymentOrderTopic, [
      orphanEvent(ORPHAN_CHARGE_EVENT_TYPES.refunded, refunded),
      orphanEvent(ORPHAN_CHARGE_EVENT_TYPES.refunded, refunded),
    ]);
    const refund = await recordedOf(detected.paymentOrderId, 'orphan_charge_refund');
    expect(refund.payload.postings).toEqual([
      {
        accountId: `orphan_refund_payable:${pspId}:KRW`,
        direction: 'debit',
        amount: { amountMinor: '15000', currency: 'KRW' },
      },
      {
        accountId: `psp_clearing:${pspId}:KRW`,
        direction: 'credit',
        amount: { amountMinor: '15000', currency: 'KRW' },
      },
    ]);
    expect(await balanceOf(`orphan_refund_payable:${pspId}:KRW`)).toBe('0');
    expect(await balanceOf(`psp_clearing:${pspId}:KRW`)).toBe('0');

    const list = await getJson<TransactionList>(
      ledger.baseUrl,
      `/v1/transactions?reference=${detected.paymentOrderId}`,
    );
    expect(list.body.data.map((transaction) => transaction.kind).sort()).toEqual([
      'orphan_charge',
      'orphan_charge_refund',
    ]);
  });
});
