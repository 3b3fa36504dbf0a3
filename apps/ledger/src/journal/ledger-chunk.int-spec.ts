import type { DataSource } from 'typeorm';
import type { EventEnvelope, PaymentOrderSucceededV2Payload } from '@keel/contracts';
import { DEAD_LETTER_HEADERS, headerAsString } from '@keel/messaging';
import { waitFor } from '@keel/testing';
import { startLedger, type LedgerHarness } from '../../test/ledger-harness';
import {
  accountDrift,
  getJson,
  orphanDetectedEvent,
  orphanRefundedEvent,
  produce,
  succeededEvent,
  succeededPayload,
  uniqueId,
  sellerPayableIdOf,
} from '../../test/ledger.fixture';
import type { AccountPage, AccountView } from '../queries/account.view';

jest.setTimeout(60_000);

// One partition: the events of one send reach the ledger in order, mostly as one chunk.
let ledger: LedgerHarness;
let dataSource: DataSource;

beforeAll(async () => {
  ledger = await startLedger({}, { partitions: 1 });
  dataSource = ledger.dataSource;
});

afterAll(() => ledger.stop());

async function account(accountId: string): Promise<AccountView> {
  const response = await getJson<AccountView>(ledger.baseUrl, `/v1/accounts/${accountId}`);
  expect(response.status).toBe(200);
  return response.body;
}

async function transactionCount(reference: string): Promise<number> {
  const rows = (await dataSource.query(
    'SELECT count(*)::int AS n FROM ledger_transactions WHERE reference = $1',
    [reference],
  )) as { n: number }[];
  return rows[0]?.n ?? -1;
}

/** Produces `events` then a fresh charge, and waits for that one: on one partition, all came before. */
async function produceAndSettle(events: readonly EventEnvelope[]): Promise<void> {
  const sentinel = succeededEvent(succeededPayload());
  await produce(ledger.producer, ledger.paymentOrderTopic, [...events, sentinel]);
  await ledger.recordedFor(sentinel.data.paymentOrderId);
}

function chargeOf(
  sellerId: string,
  amountMinor: number,
  pspId = uniqueId('psp'),
): EventEnvelope<PaymentOrderSucceededV2Payload> {
  return succeededEvent(succeededPayload({ sellerId, pspId, amountMinor: String(amountMinor) }));
}

function deadLetteredIds(): Map<string, string> {
  return new Map(
    ledger.deadLetters.records.map((record) => [
      headerAsString(record.headers['ce_id']) ?? '',
      headerAsString(record.headers[DEAD_LETTER_HEADERS.detail]) ?? '',
    ]),
  );
}

describe('two merchants with the same seller id', () => {
  it('are owed on two seller payable accounts, each found by merchant and seller', async () => {
    const sellerId = uniqueId('seller');
    const pspId = uniqueId('psp');
    const charge = (merchantId: string, amountMinor: string) =>
      succeededEvent(succeededPayload({ merchantId, sellerId, pspId, amountMinor }));
    await produceAndSettle([
      charge('merchant-a', '10000'),
      charge('merchant-b', '4000'),
      charge('merchant-a', '20000'),
    ]);

    const ofA = sellerPayableIdOf(sellerId, 'KRW', 'merchant-a');
    const ofB = sellerPayableIdOf(sellerId, 'KRW', 'merchant-b');
    expect(ofA).not.toBe(ofB);
    expect(await account(ofA)).toMatchObject({
      kind: 'seller_payable',
      owner: sellerId,
      merchantId: 'merchant-a',
      balance: { amountMinor: String(9750 + 19500) },
      version: 2,
    });
    expect(await account(ofB)).toMatchObject({
      owner: sellerId,
      merchantId: 'merchant-b',
      balance: { amountMinor: '3900' },
      version: 1,
    });
    expect(await account(`psp_clearing:${pspId}:KRW`)).toMatchObject({
      balance: { amountMinor: '34000' },
      version: 3,
    });
    const listed = await getJson<AccountPage>(
      ledger.baseUrl,
      `/v1/accounts?kind=seller_payable&owner=${sellerId}&merchantId=merchant-b`,
    );
    expect(listed.body.data.map((view) => view.id)).toEqual([ofB]);
    expect(await accountDrift(dataSource)).toEqual([]);
  });
});

describe('a chunk of events', () => {
  it('has one effect per movement, for repeats inside one chunk and across chunks', async () => {
    const sellerId = uniqueId('seller');
    const pspId = uniqueId('psp');
    const payload = succeededPayload({ sellerId, pspId, amountMinor: '10000' });
    const first = succeededEvent(payload);
    const other = succeededEvent(succeededPayload({ sellerId, pspId, amountMinor: '20000' }));
    // The same event twice and the same order under a second event id, in one chunk.
    await produceAndSettle([first, first, succeededEvent(payload), other]);
    // Then all of it again in a later chunk, with a third event id for the order.
    await produceAndSettle([first, succeededEvent(payload), other]);

    expect(await transactionCount(payload.paymentOrderId)).toBe(1);
    expect(await transactionCount(other.data.paymentOrderId)).toBe(1);
    expect(await ledger.allRecordedFor(payload.paymentOrderId)).toHaveLength(1);
    expect(await account(sellerPayableIdOf(sellerId, 'KRW'))).toMatchObject({
      balance: { amountMinor: String(9750 + 19500) },
      version: 2,
    });
    expect(await account(`psp_clearing:${pspId}:KRW`)).toMatchObject({
      balance: { amountMinor: '30000' },
      version: 2,
    });
    expect(await accountDrift(dataSource)).toEqual([]);
  });

  it('dead-letters the events it can never post and applies the rest of the chunk', async () => {
    const sellerId = uniqueId('seller');
    const firstGood = chargeOf(sellerId, 1000);
    const secondGood = chargeOf(sellerId, 2000);
    const thirdGood = chargeOf(sellerId, 3000);
    const good = [firstGood, secondGood, thirdGood];
    const unknownCurrency = succeededEvent(succeededPayload({ sellerId, currency: 'ABC' }));
    const conflicting = succeededEvent({
      ...firstGood.data,
      amount: { amountMinor: '1001', currency: 'KRW' },
    });
    await produceAndSettle([firstGood, unknownCurrency, secondGood, conflicting, thirdGood]);

    const reasons = await waitFor(
      () => {
        const byId = deadLetteredIds();
        return byId.has(unknownCurrency.id) && byId.has(conflicting.id) && byId;
      },
      { description: 'both bad events dead-lettered' },
    );
    expect(reasons.get(unknownCurrency.id)).toMatch(/Unknown currency ABC/);
    expect(reasons.get(conflicting.id)).toMatch(/was recorded as transaction .* but this event debits/);
    for (const event of good) expect(reasons.has(event.id)).toBe(false);
    for (const event of good) expect(await transactionCount(event.data.paymentOrderId)).toBe(1);
    expect(await account(sellerPayableIdOf(sellerId, 'KRW'))).toMatchObject({
      balance: { amountMinor: String(975 + 1950 + 2925) },
      version: 3,
    });
    expect(await accountDrift(dataSource)).toEqual([]);
  });

  it('posts a chunk that mixes charges and orphan charges of one PSP, each once', async () => {
    const pspId = uniqueId('psp');
    const detected = orphanDetectedEvent(pspId, '5000');
    const firstCharge = chargeOf(uniqueId('seller'), 1000, pspId);
    const secondCharge = chargeOf(uniqueId('seller'), 2000, pspId);
    const charges = [firstCharge, secondCharge];
    const events = [firstCharge, detected, secondCharge, orphanRefundedEvent(detected)];
    await produceAndSettle(events);

    for (const charge of charges) expect(await transactionCount(charge.data.paymentOrderId)).toBe(1);
    expect(await transactionCount(detected.data.paymentOrderId)).toBe(2);
    expect(await account(`psp_clearing:${pspId}:KRW`)).toMatchObject({
      balance: { amountMinor: '3000' },
      version: 4,
    });
    expect(await account(`orphan_refund_payable:${pspId}:KRW`)).toMatchObject({
      balance: { amountMinor: '0' },
      version: 2,
    });
    expect(await accountDrift(dataSource)).toEqual([]);
    const deadLettered = deadLetteredIds();
    expect(events.filter((event) => deadLettered.has(event.id))).toEqual([]);
  });
});
