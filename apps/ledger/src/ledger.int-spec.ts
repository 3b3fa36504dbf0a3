import { DataSource } from 'typeorm';
import { LEDGER_EVENT_TYPES } from '@keel/contracts';
import { DEAD_LETTER_HEADERS, headerAsString } from '@keel/messaging';
import type { CurrencyCode } from '@keel/money';
import { waitFor } from '@keel/testing';
import { startLedger, type LedgerHarness } from '../test/ledger-harness';
import {
  getJson,
  produce,
  sellerNetMinorOf,
  succeededEvent,
  succeededPayload,
  uniqueId,
  sellerPayableIdOf,
} from '../test/ledger.fixture';
import type { AccountPage, AccountView } from './queries/account.view';
import type { TransactionList, TransactionView } from './queries/transaction.view';
import type { BalanceCheckView, TrialBalanceView } from './queries/trial-balance.view';

jest.setTimeout(60_000);

let ledger: LedgerHarness;
let baseUrl: string;
let dataSource: DataSource;

beforeAll(async () => {
  ledger = await startLedger();
  baseUrl = ledger.baseUrl;
  dataSource = ledger.dataSource;
});

afterAll(() => ledger.stop());

async function account(accountId: string): Promise<AccountView> {
  const response = await getJson<AccountView>(baseUrl, `/v1/accounts/${accountId}`);
  expect(response.status).toBe(200);
  return response.body;
}

async function countRows(sql: string, parameters: unknown[]): Promise<number> {
  const rows = (await dataSource.query(sql, parameters)) as { n: number }[];
  return rows[0]?.n ?? -1;
}

describe('posting a succeeded charge', () => {
  it('debits PSP clearing, credits the seller and fee revenue by the event’s fee, and announces the transaction', async () => {
    const feeRevenueBefore = await getJson<AccountView>(baseUrl, '/v1/accounts/fee_revenue:KRW');
    // 1.23 %, no rate of any fee table: the ledger posts the fee it is given and computes none.
    const payload = succeededPayload({
      amountMinor: '10000',
      currency: 'KRW',
      methodType: 'card',
      feeMinor: '123',
    });
    await produce(ledger.producer, ledger.paymentOrderTopic, [succeededEvent(payload)]);

    const recorded = await ledger.recordedFor(payload.paymentOrderId);
    expect(recorded.type).toBe(LEDGER_EVENT_TYPES.transactionRecorded);
    expect(recorded.key).toBe(payload.paymentOrderId);
    expect(recorded.payload).toMatchObject({
      paymentOrderId: payload.paymentOrderId,
      paymentId: payload.paymentId,
      kind: 'payment_order_charge',
      postings: [
        {
          accountId: `psp_clearing:${payload.pspId}:KRW`,
          direction: 'debit',
          amount: { amountMinor: '10000', currency: 'KRW' },
        },
        {
          accountId: sellerPayableIdOf(payload.sellerId, 'KRW'),
          direction: 'credit',
          amount: { amountMinor: '9877', currency: 'KRW' },
        },
        {
          accountId: 'fee_revenue:KRW',
          direction: 'credit',
          amount: { amountMinor: '123', currency: 'KRW' },
        },
      ],
    });

    expect(await account(sellerPayableIdOf(payload.sellerId, 'KRW'))).toMatchObject({
      kind: 'seller_payable',
      type: 'liability',
      owner: payload.sellerId,
      currency: 'KRW',
      normalSide: 'credit',
      balance: { amountMinor: '9877', currency: 'KRW' },
      version: 1,
    });
    expect(await account(`psp_clearing:${payload.pspId}:KRW`)).toMatchObject({
      type: 'asset',
      normalSide: 'debit',
      balance: { amountMinor: '10000', currency: 'KRW' },
    });
    const feeRevenue = await account('fee_revenue:KRW');
    const feeBeforeMinor =
      feeRevenueBefore.status === 200 ? BigInt(feeRevenueBefore.body.balance.amountMinor) : 0n;
    expect(BigInt(feeRevenue.balance.amountMinor) - feeBeforeMinor).toBe(123n);
    expect(feeRevenue.owner).toBeNull();

    const transaction = await getJson<TransactionView>(
      baseUrl,
      `/v1/transactions/${recorded.payload.transactionId}`,
    );
    expect(transaction.status).toBe(200);
    expect(transaction.body).toMatchObject({
      id: recorded.payload.transactionId,
      kind: 'payment_order_charge',
      reference: payload.paymentOrderId,
      paymentId: payload.paymentId,
      occurredAt: payload.succeededAt,
      recordedAt: recorded.payload.recordedAt,
    });
    expect(
      transaction.body.postings.map((posting) => [
        posting.accountId,
        posting.direction,
        posting.amount.amountMinor,
      ]),
    ).toEqual(
      recorded.payload.postings.map((posting) => [
        posting.accountId,
        posting.direction,
        posting.amount.amountMinor,
      ]),
    );
    const byReference = await getJson<TransactionList>(
      baseUrl,
      `/v1/transactions?reference=${payload.paymentOrderId}`,
    );
    expect(byReference.body.data.map((item) => item.id)).toEqual([recorded.payload.transactionId]);
  });

  it('uses the currency of the charge: USD in cents', async () => {
    const payload = succeededPayload({
      amountMinor: '1999',
      currency: 'USD',
      methodType: 'mobile',
      feeMinor: '70',
    });
    await produce(ledger.producer, ledger.paymentOrderTopic, [succeededEvent(payload)]);
    const recorded = await ledger.recordedFor(payload.paymentOrderId);
    expect(
      recorded.payload.postings.map((posting) => [posting.accountId, posting.amount.amountMinor]),
    ).toEqual([
      [`psp_clearing:${payload.pspId}:USD`, '1999'],
      [sellerPayableIdOf(payload.sellerId, 'USD'), '1929'],
      ['fee_revenue:USD', '70'],
    ]);
  });
});

describe('exactly once', () => {
  it('records a payment order once when its success arrives twice under different event ids', async () => {
    const payload = succeededPayload({ amountMinor: '5000' });
    const first = succeededEvent(payload);
    const second = succeededEvent(payload);
    // The same event redelivered, and a second event for the same payment order.
    await produce(ledger.producer, ledger.paymentOrderTopic, [first, first, second]);
    await waitFor(
      async () =>
        (await countRows('SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1)', [
          [first.id, second.id],
        ])) === 2,
      { description: 'both events taken in' },
    );
    expect(
      await countRows('SELECT count(*)::int AS n FROM ledger_transactions WHERE reference = $1', [
        payload.paymentOrderId,
      ]),
    ).toBe(1);
    const announced = await ledger.allRecordedFor(payload.paymentOrderId);
    expect(announced.map((event) => event.type)).toEqual([LEDGER_EVENT_TYPES.transactionRecorded]);
    expect(await account(sellerPayableIdOf(payload.sellerId, 'KRW'))).toMatchObject({
      balance: { amountMinor: '4875' },
      version: 1,
    });
  });

  it('dead-letters an event it can never post, and a second charge that disagrees with the first', async () => {
    const recorded = succeededPayload({ amountMinor: '7000' });
    await produce(ledger.producer, ledger.paymentOrderTopic, [succeededEvent(recorded)]);
    await ledger.recordedFor(recorded.paymentOrderId);
    const conflicting = succeededEvent({ ...recorded, amount: { amountMinor: '7001', currency: 'KRW' } });
    const unknownCurrency = succeededEvent(succeededPayload({ currency: 'ABC' }));
    const wholeAmountFee = succeededEvent(succeededPayload({ amountMinor: '7000', feeMinor: '7000' }));
    const otherCurrencyFee = succeededEvent({
      ...succeededPayload({ amountMinor: '7000' }),
      platformFee: { amountMinor: '10', currency: 'USD' },
    });
    const poison = [conflicting, unknownCurrency, wholeAmountFee, otherCurrencyFee];
    await produce(ledger.producer, ledger.paymentOrderTopic, poison);

    const reasons = await waitFor(
      () => {
        const byEventId = new Map(
          ledger.deadLetters.records.map((record) => [
            headerAsString(record.headers['ce_id']),
            headerAsString(record.headers[DEAD_LETTER_HEADERS.detail]) ?? '',
          ]),
        );
        return poison.every((event) => byEventId.has(event.id)) && byEventId;
      },
      { description: 'every poison event dead-lettered' },
    );
    expect(reasons.get(conflicting.id)).toMatch(/was recorded as transaction .* but this event debits/);
    expect(reasons.get(unknownCurrency.id)).toMatch(/Unknown currency ABC/);
    expect(reasons.get(wholeAmountFee.id)).toMatch(/FEE_OUT_OF_RANGE: Platform fee 7000 KRW is outside/);
    expect(reasons.get(otherCurrencyFee.id)).toMatch(
      /FEE_OUT_OF_RANGE: Platform fee .* is not in the currency/,
    );
    for (const event of [wholeAmountFee, otherCurrencyFee]) {
      expect(
        await countRows('SELECT count(*)::int AS n FROM ledger_transactions WHERE reference = $1', [
          event.data.paymentOrderId,
        ]),
      ).toBe(0);
    }
    expect(await account(`psp_clearing:${recorded.pspId}:KRW`)).toMatchObject({
      balance: { amountMinor: '7000' },
      version: 1,
    });
  });
});

describe('under concurrent charges', () => {
  it('keeps every currency balanced and every running balance equal to its postings', async () => {
    const sellers = Array.from({ length: 5 }, () => uniqueId('seller'));
    const psps = Array.from({ length: 3 }, () => uniqueId('psp'));
    const currencies: CurrencyCode[] = ['KRW', 'USD'];
    const methods = ['card', 'easy_pay', 'bank_transfer', 'mobile'] as const;
    const payloads = Array.from({ length: 50 }, (_, index) =>
      succeededPayload({
        sellerId: sellers[index % sellers.length],
        pspId: psps[index % psps.length],
        currency: currencies[index % currencies.length],
        methodType: methods[index % methods.length],
        amountMinor: String(1 + index * 997),
      }),
    );
    // One send: the records spread over every partition, which the ledger consumes concurrently.
    await produce(ledger.producer, ledger.paymentOrderTopic, payloads.map(succeededEvent));
    await waitFor(
      async () =>
        (await countRows('SELECT count(*)::int AS n FROM ledger_transactions WHERE reference = ANY($1)', [
          payloads.map((payload) => payload.paymentOrderId),
        ])) === payloads.length,
      { description: 'all 50 charges recorded' },
    );

    const trialBalance = await getJson<TrialBalanceView>(baseUrl, '/v1/trial-balance');
    expect(trialBalance.status).toBe(200);
    expect(trialBalance.body.balanced).toBe(true);
    expect(trialBalance.body.currencies.map((line) => [line.currency, line.balanced])).toEqual([
      ['KRW', true],
      ['USD', true],
    ]);
    for (const line of trialBalance.body.currencies) expect(line.totalDebits).toEqual(line.totalCredits);

    for (const sellerId of sellers) {
      const page = await getJson<AccountPage>(baseUrl, `/v1/accounts?owner=${sellerId}`);
      for (const sellerAccount of page.body.data) {
        const expectedMinor = payloads
          .filter(
            (payload) => payload.sellerId === sellerId && payload.amount.currency === sellerAccount.currency,
          )
          .map(sellerNetMinorOf)
          .reduce((total, amountMinor) => total + amountMinor, 0n);
        expect([sellerAccount.id, sellerAccount.balance.amountMinor]).toEqual([
          sellerAccount.id,
          String(expectedMinor),
        ]);
      }
    }
    for (const pspId of psps) {
      const page = await getJson<AccountPage>(baseUrl, `/v1/accounts?owner=${pspId}&kind=psp_clearing`);
      const charged = payloads.filter((payload) => payload.pspId === pspId);
      expect(page.body.data.map((item) => item.version).reduce((total, version) => total + version, 0)).toBe(
        charged.length,
      );
    }

    const check = await getJson<BalanceCheckView>(baseUrl, '/v1/balance-check');
    expect(check.body).toMatchObject({ consistent: true, mismatchCount: 0, mismatches: [] });
    // The same comparison, written independently of the service.
    const drifted = (await dataSource.query(`
      SELECT account.id FROM accounts AS account
      WHERE account.balance_minor <> (SELECT coalesce(sum(amount_minor), 0) FROM postings WHERE account_id = account.id)`)) as {
      id: string;
    }[];
    expect(drifted).toEqual([]);
    expect(check.body.accountsChecked).toBe(await countRows('SELECT count(*)::int AS n FROM accounts', []));
  });
});
