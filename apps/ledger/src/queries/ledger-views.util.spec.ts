import { sellerPayableAccount } from '@keel/ledger-domain';
import { LedgerIntegrityError } from '../ledger.errors';
import type { AccountRow } from './account.repository';
import { accountViewOf, transactionViewOf, trialBalanceAccountOf } from './ledger-views.util';
import type { TransactionPostingRow, TransactionRow } from './transaction.repository';

const at = new Date('2026-11-23T10:00:00.000Z');
const SELLER_ACCOUNT_ID = sellerPayableAccount('m1', 's1', 'KRW').id;

function accountRow(overrides: Partial<AccountRow> = {}): AccountRow {
  return {
    id: SELLER_ACCOUNT_ID,
    kind: 'seller_payable',
    owner: 's1',
    merchant_id: 'm1',
    currency: 'KRW',
    normal_side: 'credit',
    balance_minor: '-9750',
    version: '3',
    created_at: at,
    updated_at: at,
    ...overrides,
  };
}

const transaction: TransactionRow = {
  id: '0b9e6f4c-4a8e-4c1b-9f1e-2f3c4d5e6f70',
  kind: 'payment_order_charge',
  reference: 'po_1',
  payment_id: 'pay_1',
  posting_count: 2,
  occurred_at: at,
  recorded_at: at,
};

function postingRow(
  accountId: string,
  kind: string,
  owner: string | null,
  amountMinor: string,
): TransactionPostingRow {
  return {
    id: String(amountMinor.length),
    transaction_id: transaction.id,
    account_id: accountId,
    amount_minor: amountMinor,
    currency: 'KRW',
    account_kind: kind,
    account_owner: owner,
    account_merchant_id: kind === 'seller_payable' ? 'm1' : null,
  };
}

describe('account views', () => {
  it('show the balance on the normal side and a version count', () => {
    expect(accountViewOf(accountRow())).toMatchObject({
      balance: { amountMinor: '9750', currency: 'KRW' },
      normalSide: 'credit',
      type: 'liability',
      version: 3,
      owner: 's1',
      merchantId: 'm1',
    });
  });

  it('read the seller payables opened before they were scoped to merchants under the merchant `unknown`', () => {
    expect(accountViewOf(accountRow({ id: 'seller_payable:s1:KRW', merchant_id: 'unknown' }))).toMatchObject({
      id: 'seller_payable:s1:KRW',
      owner: 's1',
      merchantId: 'unknown',
    });
  });

  it('put a trial-balance account in the column its balance is on', () => {
    expect(trialBalanceAccountOf(accountRow())).toMatchObject({
      debitBalance: { amountMinor: '0' },
      creditBalance: { amountMinor: '9750' },
    });
  });

  it('refuse rows whose id, kind, normal side or version cannot be right', () => {
    for (const row of [
      accountRow({ owner: 's2' }),
      accountRow({ merchant_id: 'm2' }),
      accountRow({ merchant_id: null }),
      accountRow({ kind: 'cash' }),
      accountRow({ currency: 'ABC', id: SELLER_ACCOUNT_ID.replace('KRW', 'ABC') }),
      accountRow({ normal_side: 'debit' }),
      accountRow({ version: '9007199254740993' }),
    ]) {
      expect(() => accountViewOf(row)).toThrow(LedgerIntegrityError);
    }
  });
});

describe('transaction views', () => {
  it('turn signed postings into directions', () => {
    const view = transactionViewOf(transaction, [
      postingRow('psp_clearing:acme:KRW', 'psp_clearing', 'acme', '100'),
      postingRow(SELLER_ACCOUNT_ID, 'seller_payable', 's1', '-100'),
    ]);
    expect(
      view.postings.map((posting) => [posting.accountId, posting.direction, posting.amount.amountMinor]),
    ).toEqual([
      ['psp_clearing:acme:KRW', 'debit', '100'],
      [SELLER_ACCOUNT_ID, 'credit', '100'],
    ]);
  });

  it('refuse a stored transaction that does not balance or misses a posting', () => {
    expect(() =>
      transactionViewOf(transaction, [
        postingRow('psp_clearing:acme:KRW', 'psp_clearing', 'acme', '100'),
        postingRow(SELLER_ACCOUNT_ID, 'seller_payable', 's1', '-99'),
      ]),
    ).toThrow(LedgerIntegrityError);
    expect(() =>
      transactionViewOf(transaction, [postingRow('psp_clearing:acme:KRW', 'psp_clearing', 'acme', '100')]),
    ).toThrow(/has 1 of 2 postings/);
  });
});
