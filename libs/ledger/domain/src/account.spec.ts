import {
  ACCOUNT_ID_LENGTH_MAX,
  ACCOUNT_KINDS,
  accountKindSpecOf,
  accountRef,
  feeRevenueAccount,
  isAccountKind,
  normalBalanceMinorOf,
  orphanRefundPayableAccount,
  pspClearingAccount,
  sellerPayableAccount,
  UNKNOWN_MERCHANT_ID,
} from './account';
import { LedgerError, LedgerErrorCode } from './ledger.error';

function ledgerErrorCodeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof LedgerError) return error.code;
    throw error;
  }
  return undefined;
}

describe('account ids', () => {
  it('reads as kind, owner and currency', () => {
    expect(pspClearingAccount('acme', 'KRW').id).toBe('psp_clearing:acme:KRW');
    expect(feeRevenueAccount('USD').id).toBe('fee_revenue:USD');
  });

  it('names a seller payable by a digest of merchant and seller, as the database checks it', () => {
    // left(encode(sha256(convert_to('merchant_1/seller_1', 'UTF8')), 'hex'), 32) in PostgreSQL.
    expect(sellerPayableAccount('merchant_1', 'seller_1', 'KRW').id).toBe(
      'seller_payable:71c9cc93dfee25315f110c8e0ca5dd30:KRW',
    );
    expect(sellerPayableAccount('merchant_1', 'seller_1', 'KRW')).toMatchObject({
      owner: 'seller_1',
      merchantId: 'merchant_1',
    });
  });

  it('keeps the seller id in the accounts opened before seller payables were scoped to merchants', () => {
    expect(sellerPayableAccount(UNKNOWN_MERCHANT_ID, 'seller_1', 'KRW').id).toBe(
      'seller_payable:seller_1:KRW',
    );
  });

  it('gives two merchants’ sellers of one id two accounts, and fits ids of any length', () => {
    expect(sellerPayableAccount('merchant_a', 'seller_1', 'KRW').id).not.toBe(
      sellerPayableAccount('merchant_b', 'seller_1', 'KRW').id,
    );
    // ':' may be in both ids; the digest's separator is in neither.
    expect(sellerPayableAccount('a:b', 'c', 'KRW').id).not.toBe(sellerPayableAccount('a', 'b:c', 'KRW').id);
    const longest = 'x'.repeat(64);
    expect(sellerPayableAccount(longest, longest, 'KRW').id.length).toBeLessThanOrEqual(
      ACCOUNT_ID_LENGTH_MAX,
    );
  });

  it('carries the kind, type, normal side, owner and currency', () => {
    expect(pspClearingAccount('acme', 'USD')).toEqual({
      id: 'psp_clearing:acme:USD',
      kind: 'psp_clearing',
      type: 'asset',
      normalSide: 'debit',
      owner: 'acme',
      merchantId: null,
      currency: 'USD',
    });
    expect(sellerPayableAccount('m-1', 's-9', 'KRW')).toMatchObject({
      type: 'liability',
      normalSide: 'credit',
    });
    expect(feeRevenueAccount('KRW')).toMatchObject({
      type: 'revenue',
      normalSide: 'credit',
      owner: null,
      merchantId: null,
    });
  });

  it('is the same for the same triple and differs for different ones', () => {
    expect(sellerPayableAccount('m', 'a', 'KRW')).toEqual(sellerPayableAccount('m', 'a', 'KRW'));
    // An owner id may contain ':', and still no two triples share an id.
    expect(pspClearingAccount('a:b', 'KRW').id).not.toBe(pspClearingAccount('a', 'KRW').id);
    expect(pspClearingAccount('x', 'KRW').id).not.toBe(orphanRefundPayableAccount('x', 'KRW').id);
  });

  it('ignores an owner for platform accounts', () => {
    expect(accountRef('fee_revenue', 'anything', 'KRW')).toEqual(feeRevenueAccount('KRW'));
  });

  it('refuses a missing, empty or malformed owner or merchant', () => {
    expect(ledgerErrorCodeOf(() => accountRef('seller_payable', null, 'KRW', 'm'))).toBe(
      LedgerErrorCode.INVALID_ACCOUNT_OWNER,
    );
    expect(ledgerErrorCodeOf(() => accountRef('seller_payable', 'seller', 'KRW'))).toBe(
      LedgerErrorCode.INVALID_ACCOUNT_OWNER,
    );
    for (const id of ['', ' seller', 'seller/1', '-seller', 'sel ler']) {
      expect(ledgerErrorCodeOf(() => sellerPayableAccount('m', id, 'KRW'))).toBe(
        LedgerErrorCode.INVALID_ACCOUNT_OWNER,
      );
      expect(ledgerErrorCodeOf(() => sellerPayableAccount(id, 'seller', 'KRW'))).toBe(
        LedgerErrorCode.INVALID_ACCOUNT_OWNER,
      );
      expect(ledgerErrorCodeOf(() => pspClearingAccount(id, 'KRW'))).toBe(
        LedgerErrorCode.INVALID_ACCOUNT_OWNER,
      );
    }
  });

  it('refuses an id longer than an event may carry', () => {
    const longest = 'x'.repeat(ACCOUNT_ID_LENGTH_MAX - 'psp_clearing::KRW'.length);
    expect(pspClearingAccount(longest, 'KRW').id).toHaveLength(ACCOUNT_ID_LENGTH_MAX);
    expect(ledgerErrorCodeOf(() => pspClearingAccount(`${longest}x`, 'KRW'))).toBe(
      LedgerErrorCode.INVALID_ACCOUNT_OWNER,
    );
  });

  it('refuses an unknown currency', () => {
    expect(() => feeRevenueAccount('ABC' as 'KRW')).toThrow(/Unknown currency/);
  });
});

describe('account kinds', () => {
  it('lists every kind with its spec', () => {
    expect(ACCOUNT_KINDS).toEqual([
      'psp_clearing',
      'seller_payable',
      'fee_revenue',
      'orphan_refund_payable',
      'psp_fee_expense',
    ]);
    expect(ACCOUNT_KINDS.map((kind) => accountKindSpecOf(kind).normalSide)).toEqual([
      'debit',
      'credit',
      'credit',
      'credit',
      'debit',
    ]);
    expect(isAccountKind('seller_payable')).toBe(true);
    expect(isAccountKind('toString')).toBe(false);
    expect(isAccountKind(undefined)).toBe(false);
  });
});

describe('normal balance', () => {
  it('is the signed balance for debit-normal accounts and its negation for credit-normal ones', () => {
    expect(normalBalanceMinorOf('debit', 100n)).toBe(100n);
    expect(normalBalanceMinorOf('credit', -100n)).toBe(100n);
    expect(normalBalanceMinorOf('credit', 5n)).toBe(-5n);
    expect(normalBalanceMinorOf('debit', 0n)).toBe(0n);
  });
});
