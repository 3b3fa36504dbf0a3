import { Money } from '@keel/money';
import { feeRevenueAccount, pspClearingAccount, sellerPayableAccount } from './account';
import {
  assertBalanced,
  journalEntry,
  POSTINGS_PER_ENTRY_MAX,
  reverseEntry,
  sumsByCurrency,
  type JournalEntry,
} from './journal-entry';
import { LedgerError, LedgerErrorCode } from './ledger.error';
import { credit, debit, signedAmountMinorOf, type Posting } from './posting';

const krw = (amountMinor: bigint): Money => Money.of(amountMinor, 'KRW');
const usd = (amountMinor: bigint): Money => Money.of(amountMinor, 'USD');

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof LedgerError) return error.code;
    throw error;
  }
  throw new Error('expected a LedgerError');
}

function charge(postings: Posting[]): JournalEntry {
  return journalEntry({ kind: 'payment_order_charge', reference: 'po_1', paymentId: 'pay_1', postings });
}

describe('assertBalanced', () => {
  it('accepts debits equal to credits', () => {
    expect(() =>
      assertBalanced([
        debit(pspClearingAccount('acme', 'KRW'), krw(10_000n)),
        credit(sellerPayableAccount('merchant_1', 's1', 'KRW'), krw(9_750n)),
        credit(feeRevenueAccount('KRW'), krw(250n)),
      ]),
    ).not.toThrow();
  });

  it('refuses an entry off by one minor unit', () => {
    const postings = [
      debit(pspClearingAccount('acme', 'KRW'), krw(10_000n)),
      credit(sellerPayableAccount('merchant_1', 's1', 'KRW'), krw(9_999n)),
    ];
    expect(codeOf(() => assertBalanced(postings))).toBe(LedgerErrorCode.UNBALANCED_ENTRY);
  });

  it('balances each currency on its own', () => {
    const crossCurrency = [
      debit(pspClearingAccount('acme', 'KRW'), krw(100n)),
      credit(sellerPayableAccount('merchant_1', 's1', 'USD'), usd(100n)),
    ];
    expect(codeOf(() => assertBalanced(crossCurrency))).toBe(LedgerErrorCode.UNBALANCED_ENTRY);
    const twoBalancedCurrencies = [
      debit(pspClearingAccount('acme', 'KRW'), krw(100n)),
      credit(sellerPayableAccount('merchant_1', 's1', 'KRW'), krw(100n)),
      debit(pspClearingAccount('acme', 'USD'), usd(7n)),
      credit(sellerPayableAccount('merchant_1', 's1', 'USD'), usd(7n)),
    ];
    expect(() => assertBalanced(twoBalancedCurrencies)).not.toThrow();
    expect([...sumsByCurrency(twoBalancedCurrencies)]).toEqual([
      ['KRW', 0n],
      ['USD', 0n],
    ]);
  });

  it('needs at least two postings and at most fifty', () => {
    expect(codeOf(() => assertBalanced([]))).toBe(LedgerErrorCode.POSTING_COUNT_OUT_OF_RANGE);
    expect(codeOf(() => assertBalanced([debit(feeRevenueAccount('KRW'), krw(1n))]))).toBe(
      LedgerErrorCode.POSTING_COUNT_OUT_OF_RANGE,
    );
    const tooMany = Array.from({ length: POSTINGS_PER_ENTRY_MAX / 2 + 1 }, (_, index) => [
      debit(pspClearingAccount(`psp${index}`, 'KRW'), krw(1n)),
      credit(feeRevenueAccount('KRW'), krw(1n)),
    ]).flat();
    expect(codeOf(() => assertBalanced(tooMany))).toBe(LedgerErrorCode.POSTING_COUNT_OUT_OF_RANGE);
    expect(() => assertBalanced(tooMany.slice(0, POSTINGS_PER_ENTRY_MAX))).not.toThrow();
  });

  it('rechecks hand-built postings for sign and currency', () => {
    const account = feeRevenueAccount('KRW');
    const forged = { account, direction: 'debit', amount: krw(-5n) } as const;
    expect(codeOf(() => assertBalanced([forged, credit(account, krw(5n))]))).toBe(
      LedgerErrorCode.NON_POSITIVE_POSTING,
    );
    const wrongCurrency = { account, direction: 'debit', amount: usd(5n) } as const;
    expect(codeOf(() => assertBalanced([wrongCurrency, credit(account, krw(5n))]))).toBe(
      LedgerErrorCode.CURRENCY_MISMATCH,
    );
  });
});

describe('journalEntry', () => {
  it('returns a frozen entry', () => {
    const entry = charge([
      debit(pspClearingAccount('acme', 'KRW'), krw(1n)),
      credit(sellerPayableAccount('merchant_1', 's1', 'KRW'), krw(1n)),
    ]);
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry.postings)).toBe(true);
  });

  it('refuses an empty or overlong reference or payment id', () => {
    const postings = [
      debit(pspClearingAccount('acme', 'KRW'), krw(1n)),
      credit(sellerPayableAccount('merchant_1', 's1', 'KRW'), krw(1n)),
    ];
    for (const [reference, paymentId] of [
      ['', 'pay_1'],
      ['po_1', ''],
      ['x'.repeat(65), 'pay_1'],
    ]) {
      expect(
        codeOf(() => journalEntry({ kind: 'payment_order_charge', reference, paymentId, postings })),
      ).toBe(LedgerErrorCode.INVALID_REFERENCE);
    }
  });
});

describe('reverseEntry', () => {
  it('mirrors every posting, so the pair leaves every balance unchanged', () => {
    const original = charge([
      debit(pspClearingAccount('acme', 'KRW'), krw(10_000n)),
      credit(sellerPayableAccount('merchant_1', 's1', 'KRW'), krw(9_750n)),
      credit(feeRevenueAccount('KRW'), krw(250n)),
    ]);
    const reversal = reverseEntry(original, 'c4b2e1f0-0000-4000-8000-000000000001');
    expect(reversal.kind).toBe('reversal');
    expect(reversal.reference).toBe('c4b2e1f0-0000-4000-8000-000000000001');
    expect(reversal.paymentId).toBe('pay_1');
    const net = new Map<string, bigint>();
    for (const item of [...original.postings, ...reversal.postings]) {
      net.set(item.account.id, (net.get(item.account.id) ?? 0n) + signedAmountMinorOf(item));
    }
    expect([...net.values()]).toEqual([0n, 0n, 0n]);
    expect(reversal.postings.map((item) => item.direction)).toEqual(['credit', 'debit', 'debit']);
  });
});
