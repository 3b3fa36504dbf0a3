import fc from 'fast-check';
import { DEFAULT_FEE_POLICY, FeePolicyError, parseFeePolicy, type FeePolicy } from '@keel/fees';
import { Money, ROUNDING_MODES, type CurrencyCode, type RoundingMode } from '@keel/money';
import { buildChargeEntry, type ChargedPaymentOrder } from './charge-entry';
import { sumsByCurrency } from './journal-entry';
import { LedgerError, LedgerErrorCode } from './ledger.error';

function order(
  amountMinor: bigint,
  currency: CurrencyCode = 'KRW',
  paymentMethodType: ChargedPaymentOrder['paymentMethodType'] = 'card',
): ChargedPaymentOrder {
  return {
    paymentOrderId: 'po_1',
    paymentId: 'pay_1',
    sellerId: 'seller_1',
    pspId: 'acme',
    amount: Money.of(amountMinor, currency),
    paymentMethodType,
  };
}

/** Postings as [account id, direction, amount minor] rows, easy to compare. */
function rowsOf(
  input: ChargedPaymentOrder,
  policy: FeePolicy = DEFAULT_FEE_POLICY,
): [string, string, bigint][] {
  return buildChargeEntry(input, policy).entry.postings.map((item) => [
    item.account.id,
    item.direction,
    item.amount.amountMinor,
  ]);
}

function feeMinorOf(amountMinor: bigint, rounding: RoundingMode): bigint {
  return buildChargeEntry(order(amountMinor), parseFeePolicy('{"card":250}', rounding)).fee.amountMinor;
}

describe('buildChargeEntry', () => {
  it('debits PSP clearing, credits the seller the amount less the fee and fee revenue the fee', () => {
    const { entry, fee } = buildChargeEntry(order(10_000n), DEFAULT_FEE_POLICY);
    expect(fee).toEqual(Money.of(250n, 'KRW'));
    expect(entry).toMatchObject({ kind: 'payment_order_charge', reference: 'po_1', paymentId: 'pay_1' });
    expect(rowsOf(order(10_000n))).toEqual([
      ['psp_clearing:acme:KRW', 'debit', 10_000n],
      ['seller_payable:seller_1:KRW', 'credit', 9_750n],
      ['fee_revenue:KRW', 'credit', 250n],
    ]);
  });

  it('takes the rate of the payment method type', () => {
    const feesByMethod = (['card', 'easy_pay', 'bank_transfer', 'mobile'] as const).map(
      (methodType) => buildChargeEntry(order(10_000n, 'KRW', methodType), DEFAULT_FEE_POLICY).fee.amountMinor,
    );
    expect(feesByMethod).toEqual([250n, 300n, 100n, 350n]);
  });

  it('rounds a fraction of a minor unit by the configured mode', () => {
    // 1 060 × 2.5 % = 26.5, a tie: half_even keeps the even 26, half_up goes to 27.
    const tie: Record<RoundingMode, bigint> = {
      half_even: 26n,
      half_up: 27n,
      down: 26n,
      up: 27n,
      floor: 26n,
      ceiling: 27n,
    };
    expect(ROUNDING_MODES.map((mode) => [mode, feeMinorOf(1_060n, mode)])).toEqual(
      ROUNDING_MODES.map((mode) => [mode, tie[mode]]),
    );
    // 1 020 × 2.5 % = 25.5 ties to the even 26; 1 010 × 2.5 % = 25.25 goes up only when asked.
    expect(feeMinorOf(1_020n, 'half_even')).toBe(26n);
    expect(feeMinorOf(1_010n, 'half_up')).toBe(25n);
    expect(feeMinorOf(1_010n, 'up')).toBe(26n);
  });

  it('counts minor units whatever the exponent: cents for USD, won for KRW', () => {
    // 19.99 USD × 3.5 % = 69.965 cents → 70; 19 990 KRW × 2.5 % = 499.75 won → 500.
    expect(rowsOf(order(1_999n, 'USD', 'mobile'))).toEqual([
      ['psp_clearing:acme:USD', 'debit', 1_999n],
      ['seller_payable:seller_1:USD', 'credit', 1_929n],
      ['fee_revenue:USD', 'credit', 70n],
    ]);
    expect(rowsOf(order(19_990n))).toEqual([
      ['psp_clearing:acme:KRW', 'debit', 19_990n],
      ['seller_payable:seller_1:KRW', 'credit', 19_490n],
      ['fee_revenue:KRW', 'credit', 500n],
    ]);
  });

  it('leaves out the fee posting when the fee is zero: 1 won, or a zero rate', () => {
    const oneWon: [string, string, bigint][] = [
      ['psp_clearing:acme:KRW', 'debit', 1n],
      ['seller_payable:seller_1:KRW', 'credit', 1n],
    ];
    expect(rowsOf(order(1n))).toEqual(oneWon);
    // Even rounding up, the fee rule leaves the seller at least one minor unit.
    expect(rowsOf(order(1n), parseFeePolicy('{"card":9999}', 'up'))).toEqual(oneWon);
    expect(rowsOf(order(5_000n), parseFeePolicy('{"card":0}', 'half_even'))).toHaveLength(2);
  });

  it('takes at most the amount less one minor unit', () => {
    expect(rowsOf(order(2n), parseFeePolicy('{"card":9999}', 'ceiling'))).toEqual([
      ['psp_clearing:acme:KRW', 'debit', 2n],
      ['seller_payable:seller_1:KRW', 'credit', 1n],
      ['fee_revenue:KRW', 'credit', 1n],
    ]);
  });

  it('refuses what it cannot post', () => {
    expect(() => buildChargeEntry(order(0n), DEFAULT_FEE_POLICY)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.INVALID_AMOUNT }) as LedgerError,
    );
    expect(() => buildChargeEntry({ ...order(100n), sellerId: 'a b' }, DEFAULT_FEE_POLICY)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.INVALID_ACCOUNT_OWNER }) as LedgerError,
    );
    expect(() => buildChargeEntry({ ...order(100n), paymentOrderId: '' }, DEFAULT_FEE_POLICY)).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.INVALID_REFERENCE }) as LedgerError,
    );
    const negativeRate: FeePolicy = {
      basisPointsByMethod: { ...DEFAULT_FEE_POLICY.basisPointsByMethod, card: -1 },
      rounding: 'up',
    };
    expect(() => buildChargeEntry(order(10_000n), negativeRate)).toThrow(FeePolicyError);
  });

  it('always balances, with 0 ≤ fee < amount and two or three postings', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.bigInt(1n, 10_000n), fc.bigInt(1n, 10n ** 17n)),
        fc.integer({ min: 0, max: 9_999 }),
        fc.constantFrom<RoundingMode>(...ROUNDING_MODES),
        fc.constantFrom<CurrencyCode>('KRW', 'USD', 'KWD', 'JPY'),
        (amountMinor, basisPoints, rounding, currency) => {
          const { entry, fee } = buildChargeEntry(
            order(amountMinor, currency),
            parseFeePolicy(`{"card":${basisPoints}}`, rounding),
          );
          expect([...sumsByCurrency(entry.postings)]).toEqual([[currency, 0n]]);
          expect(fee.amountMinor >= 0n && fee.amountMinor < amountMinor).toBe(true);
          expect(entry.postings.length).toBe(fee.isZero() ? 2 : 3);
          expect(entry.postings[0]?.amount.amountMinor).toBe(amountMinor);
        },
      ),
    );
  });
});
