import {
  ACCOUNT_ID_LENGTH_MAX,
  ACCOUNT_KINDS,
  accountKindSpecOf,
  accountRef,
  feeRevenueAccount,
  isAccountKind,
  normalBalanceMinorOf,
  pspClearingAccount,
  sellerPayableAccount,
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
    expect(sellerPayableAccount('seller_1', 'KRW').id).toBe('seller_payable:seller_1:KRW');
    expect(feeRevenueAccount('USD').id).toBe('fee_revenue:USD');
  });

  it('carries the kind, type, normal side, owner and currency', () => {
    expect(pspClearingAccount('acme', 'USD')).toEqual({
      id: 'psp_clearing:acme:USD',
      kind: 'psp_clearing',
      type: 'asset',
      normalSide: 'debit',
      owner: 'acme',
      currency: 'USD',
    });
    expect(sellerPayableAccount('s-9', 'KRW')).toMatchObject({ type: 'liability', normalSide: 'credit' });
    expect(feeRevenueAccount('KRW')).toMatchObject({ type: 'revenue', normalSide: 'credit', owner: null });
  });

  it('is the same for the same triple and differs for different ones', () => {
    expect(sellerPayableAccount('a', 'KRW')).toEqual(sellerPayableAccount('a', 'KRW'));
    // An owner id may contain ':', and still no two triples share an id.
    expect(sellerPayableAccount('a:b', 'KRW').id).not.toBe(sellerPayableAccount('a', 'KRW').id);
    expect(pspClearingAccount('x', 'KRW').id).not.toBe(sellerPayableAccount('x', 'KRW').id);
  });

  it('ignores an owner for platform accounts', () => {
    expect(accountRef('fee_revenue', 'anything', 'KRW')).toEqual(feeRevenueAccount('KRW'));
  });

  it('refuses a missing, empty or malformed owner', () => {
    expect(ledgerErrorCodeOf(() => accountRef('seller_payable', null, 'KRW'))).toBe(
      LedgerErrorCode.INVALID_ACCOUNT_OWNER,
    );
    for (const owner of ['', ' seller', 'seller/1', '-seller', 'sel ler']) {
      expect(ledgerErrorCodeOf(() => sellerPayableAccount(owner, 'KRW'))).toBe(
        LedgerErrorCode.INVALID_ACCOUNT_OWNER,
      );
    }
  });

  it('refuses an id longer than an event may carry', () => {
    const longest = 'x'.repeat(ACCOUNT_ID_LENGTH_MAX - 'seller_payable::KRW'.length);
    expect(sellerPayableAccount(longest, 'KRW').id).toHaveLength(ACCOUNT_ID_LENGTH_MAX);
    expect(ledgerErrorCodeOf(() => sellerPayableAccount(`${longest}x`, 'KRW'))).toBe(
      LedgerErrorCode.INVALID_ACCOUNT_OWNER,
    );
  });

  it('refuses an unknown currency', () => {
    expect(() => feeRevenueAccount('ABC' as 'KRW')).toThrow(/Unknown currency/);
  });
});

describe('account kinds', () => {
  it('lists every kind with its spec', () => {
    expect(ACCOUNT_KINDS).toEqual(['psp_clearing', 'seller_payable', 'fee_revenue', 'orphan_refund_payable']);
    expect(ACCOUNT_KINDS.map((kind) => accountKindSpecOf(kind).normalSide)).toEqual([
      'debit',
      'credit',
      'credit',
      'credit',
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
