import { operatorAuthorization } from '@keel/testing';
import { startLedger, type LedgerHarness } from '../../test/ledger-harness';
import {
  getJson,
  produce,
  succeededEvent,
  succeededPayload,
  uniqueId,
  sellerPayableIdOf,
} from '../../test/ledger.fixture';
import type { AccountPage, AccountPostingPage } from '../queries/account.view';
import type { TransactionList } from '../queries/transaction.view';
import type { BalanceCheckView, TrialBalanceView } from '../queries/trial-balance.view';

jest.setTimeout(60_000);

interface Problem {
  type: string;
  status: number;
  errors?: { field: string }[];
}

let ledger: LedgerHarness;
const sellerId = uniqueId('seller');
const paymentOrderIds: string[] = [];

beforeAll(async () => {
  ledger = await startLedger({ LEDGER_PAGE_SIZE_DEFAULT: '2', LEDGER_PAGE_SIZE_MAX: '3' });
  // One seller, five charges over three PSPs and two currencies.
  const payloads = [
    ['psp-a', 'KRW'],
    ['psp-b', 'KRW'],
    ['psp-c', 'KRW'],
    ['psp-a', 'USD'],
    ['psp-a', 'KRW'],
  ].map(([pspId, currency]) => succeededPayload({ sellerId, pspId, currency }));
  paymentOrderIds.push(...payloads.map((payload) => payload.paymentOrderId));
  await produce(ledger.producer, ledger.paymentOrderTopic, payloads.map(succeededEvent));
  for (const payload of payloads) await ledger.recordedFor(payload.paymentOrderId);
});

afterAll(() => ledger.stop());

async function expectProblem(path: string, status: number, code: string): Promise<Problem> {
  const response = await getJson<Problem>(ledger.baseUrl, path);
  expect(response.status).toBe(status);
  expect(response.contentType).toContain('application/problem+json');
  expect(response.body.type).toBe(`https://keel.dev/problems/${code}`);
  return response.body;
}

async function allPages<T>(firstPath: string, separator: string): Promise<T[][]> {
  const pages: T[][] = [];
  let path: string | undefined = firstPath;
  while (path !== undefined && pages.length < 10) {
    const response: { body: { data: T[]; nextCursor: string | null } } = await getJson(ledger.baseUrl, path);
    pages.push(response.body.data);
    const cursor: string | null = response.body.nextCursor;
    path = cursor === null ? undefined : `${firstPath}${separator}cursor=${cursor}`;
  }
  return pages;
}

describe('the read API', () => {
  it('answers operators only: 401 problem+json with the operator challenge to anyone else', async () => {
    const paths = [
      '/v1/accounts',
      `/v1/accounts/${sellerPayableIdOf(sellerId, 'KRW')}`,
      `/v1/accounts/${sellerPayableIdOf(sellerId, 'KRW')}/postings`,
      '/v1/transactions?referenceId=x',
      '/v1/transactions/0b9e6f4c-4a8e-4c1b-9f1e-2f3c4d5e6f70',
      '/v1/trial-balance',
      '/v1/balance-check',
      '/metrics',
    ];
    for (const path of paths) {
      for (const authorization of [null, 'Bearer sk_test_notanoperatortoken', 'Bearer op_forged.token']) {
        const refused = await getJson<Problem>(ledger.baseUrl, path, authorization);
        expect(refused.status).toBe(401);
        expect(refused.contentType).toContain('application/problem+json');
        expect(refused.challenge).toBe('Bearer realm="keel-operator"');
        expect(refused.body.type).toBe('https://keel.dev/problems/operator_unauthenticated');
      }
    }
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const trialBalance = await getJson<TrialBalanceView>(
        ledger.baseUrl,
        '/v1/trial-balance',
        operatorAuthorization(role),
      );
      expect(trialBalance.status).toBe(200);
      const check = await getJson<BalanceCheckView>(
        ledger.baseUrl,
        '/v1/balance-check',
        operatorAuthorization(role),
      );
      expect(check.status).toBe(200);
    }
  });

  it('answers 404 problems for unknown accounts and transactions', async () => {
    await expectProblem('/v1/accounts/seller_payable:nobody:KRW', 404, 'ledger-account-not-found');
    await expectProblem('/v1/accounts/seller_payable:nobody:KRW/postings', 404, 'ledger-account-not-found');
    await expectProblem(`/v1/accounts/${'x'.repeat(100)}`, 404, 'ledger-account-not-found');
    await expectProblem(
      '/v1/transactions/0b9e6f4c-4a8e-4c1b-9f1e-2f3c4d5e6f70',
      404,
      'ledger-transaction-not-found',
    );
    await expectProblem('/v1/transactions/not-a-uuid', 404, 'ledger-transaction-not-found');
  });

  it('lists a seller’s accounts page by page, the default page size and the maximum applied', async () => {
    const pages = await allPages<{ id: string }>(`/v1/accounts?owner=${sellerId}&limit=1`, '&');
    expect(pages.map((page) => page.map((item) => item.id))).toEqual([
      [sellerPayableIdOf(sellerId, 'KRW')],
      [sellerPayableIdOf(sellerId, 'USD')],
    ]);
    const byDefault = await getJson<AccountPage>(ledger.baseUrl, '/v1/accounts?kind=psp_clearing');
    expect(byDefault.body.data).toHaveLength(2);
    const capped = await getJson<AccountPage>(ledger.baseUrl, '/v1/accounts?limit=1000');
    expect(capped.body.data).toHaveLength(3);
    const usdOnly = await getJson<AccountPage>(ledger.baseUrl, '/v1/accounts?currency=USD&kind=psp_clearing');
    expect(usdOnly.body.data.map((item) => item.id)).toEqual(['psp_clearing:psp-a:USD']);
  });

  it('pages an account’s postings newest first', async () => {
    const accountId = sellerPayableIdOf(sellerId, 'KRW');
    const pages = await allPages<AccountPostingPage['data'][number]>(
      `/v1/accounts/${accountId}/postings`,
      '?',
    );
    expect(pages.map((page) => page.length)).toEqual([2, 2]);
    const postings = pages.flat();
    const krwOrders = paymentOrderIds.filter((_, index) => index !== 3);
    expect(postings.map((posting) => posting.reference).sort()).toEqual([...krwOrders].sort());
    const postingIds = postings.map((posting) => BigInt(posting.postingId));
    expect(postingIds).toEqual([...postingIds].sort((left, right) => (left > right ? -1 : 1)));
    expect(
      postings.every((posting) => posting.direction === 'credit' && posting.amount.amountMinor === '9750'),
    ).toBe(true);
  });

  it('finds the transactions of a payment order', async () => {
    const list = await getJson<TransactionList>(
      ledger.baseUrl,
      `/v1/transactions?reference=${paymentOrderIds[0]}`,
    );
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]?.postings).toHaveLength(3);
    const none = await getJson<TransactionList>(ledger.baseUrl, '/v1/transactions?reference=po-unknown');
    expect(none.body.data).toEqual([]);
  });

  it('refuses malformed queries and cursors', async () => {
    await expectProblem('/v1/accounts?cursor=not-ours', 400, 'invalid-cursor');
    await expectProblem(
      `/v1/accounts/${sellerPayableIdOf(sellerId, 'KRW')}/postings?cursor=YWJj`,
      400,
      'invalid-cursor',
    );
    const problem = await expectProblem('/v1/accounts?kind=cash&limit=0&extra=1', 400, 'validation-failed');
    expect(problem.errors?.map((error) => error.field).sort()).toEqual(['extra', 'kind', 'limit']);
    await expectProblem('/v1/transactions', 400, 'validation-failed');
  });
});

describe('reading the balances', () => {
  it('reports a running balance that drifted from its postings, and balances again once it is right', async () => {
    const payload = succeededPayload({ currency: 'EUR', amountMinor: '1000' });
    await produce(ledger.producer, ledger.paymentOrderTopic, [succeededEvent(payload)]);
    await ledger.recordedFor(payload.paymentOrderId);
    const sellerAccountId = sellerPayableIdOf(payload.sellerId, 'EUR');
    // Running balances are not append-only (postings are), so a bug could move one wrongly.
    await ledger.dataSource.query('UPDATE accounts SET balance_minor = balance_minor - 1 WHERE id = $1', [
      sellerAccountId,
    ]);
    try {
      const trialBalance = await getJson<TrialBalanceView>(ledger.baseUrl, '/v1/trial-balance');
      expect(trialBalance.body.balanced).toBe(false);
      expect(trialBalance.body.currencies.find((line) => line.currency === 'EUR')).toMatchObject({
        totalDebits: { amountMinor: '1000' },
        totalCredits: { amountMinor: '1001' },
        balanced: false,
      });
      const check = await getJson<BalanceCheckView>(ledger.baseUrl, '/v1/balance-check');
      expect(check.body).toMatchObject({
        consistent: false,
        mismatchCount: 1,
        mismatches: [{ accountId: sellerAccountId, balanceMinor: '-976', postingsSumMinor: '-975' }],
      });
    } finally {
      await ledger.dataSource.query('UPDATE accounts SET balance_minor = balance_minor + 1 WHERE id = $1', [
        sellerAccountId,
      ]);
    }
    expect((await getJson<TrialBalanceView>(ledger.baseUrl, '/v1/trial-balance')).body.balanced).toBe(true);
  });
});
