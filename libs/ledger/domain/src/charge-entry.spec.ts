import fc from 'fast-check';
import { Money, type CurrencyCode } from '@keel/money';
import { sellerPayableAccount } from './account';
import { buildChargeEntry, type ChargedPaymentOrder } from './charge-entry';
import { sumsByCurrency } from './journal-entry';
import { LedgerError, LedgerErrorCode } from './ledger.error';

function order(amountMinor: bigint, feeMinor: bigint, currency: CurrencyCode = 'KRW'): ChargedPaymentOrder {
  return {
    paymentOrderId: 'po_1',
    paymentId: 'pay_1',
    merchantId: 'merchant_1',
    sellerId: 'seller_1',
    pspId: 'acme',
    amount: Money.of(amountMinor, currency),
    fee: Money.of(feeMinor, currency),
  };
}

const SELLER_KRW = sellerPayableAccount('merchant_1', 'seller_1', 'KRW').id;
const SELLER_USD = sellerPayableAccount('merchant_1', 'seller_1', 'USD').id;

/** Postings as [account id, direction, amount minor] rows, easy to compare. */
function rowsOf(input: ChargedPaymentOrder): [string, string, bigint][] {
  return buildChargeEntry(input).postings.map((item) => [
    item.account.id,
    item.direction,
    item.amount.amountMinor,
  ]);
}

const outOfRange = expect.objectContaining({ code: LedgerErrorCode.FEE_OUT_OF_RANGE }) as LedgerError;

describe('buildChargeEntry', () => {
  it('debits PSP clearing, credits the seller the amount less the fee and fee revenue the fee', () => {
    expect(buildChargeEntry(order(10_000n, 250n))).toMatchObject({
      kind: 'payment_order_charge',
      reference: 'po_1',
      paymentId: 'pay_1',
    });
    expect(rowsOf(order(10_000n, 250n))).toEqual([
      ['psp_clearing:acme:KRW', 'debit', 10_000n],
      [SELLER_KRW, 'credit', 9_750n],
      ['fee_revenue:KRW', 'credit', 250n],
    ]);
  });

  it('posts the fee it is given, whatever rate it implies, in the currency’s minor units', () => {
    expect(rowsOf(order(10_000n, 123n))).toEqual([
      ['psp_clearing:acme:KRW', 'debit', 10_000n],
      [SELLER_KRW, 'credit', 9_877n],
      ['fee_revenue:KRW', 'credit', 123n],
    ]);
    expect(rowsOf(order(1_999n, 70n, 'USD'))).toEqual([
      ['psp_clearing:acme:USD', 'debit', 1_999n],
      [SELLER_USD, 'credit', 1_929n],
      ['fee_revenue:USD', 'credit', 70n],
    ]);
  });

  it('leaves out the fee posting when the fee is zero', () => {
    expect(rowsOf(order(1n, 0n))).toEqual([
      ['psp_clearing:acme:KRW', 'debit', 1n],
      [SELLER_KRW, 'credit', 1n],
    ]);
    expect(rowsOf(order(5_000n, 0n))).toHaveLength(2);
  });

  it('takes at most the amount less one minor unit', () => {
    expect(rowsOf(order(2n, 1n))).toEqual([
      ['psp_clearing:acme:KRW', 'debit', 2n],
      [SELLER_KRW, 'credit', 1n],
      ['fee_revenue:KRW', 'credit', 1n],
    ]);
  });

  it.each([
    ['a negative fee', order(10_000n, -1n)],
    ['a fee of the whole amount', order(10_000n, 10_000n)],
    ['a fee above the amount', order(10_000n, 10_001n)],
    ['a fee in another currency', { ...order(10_000n, 0n), fee: Money.of(10n, 'USD') }],
  ])('refuses %s', (_name, input) => {
    expect(() => buildChargeEntry(input)).toThrow(outOfRange);
  });

  it('refuses what it cannot post', () => {
    expect(() => buildChargeEntry(order(0n, 0n))).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.INVALID_AMOUNT }) as LedgerError,
    );
    expect(() => buildChargeEntry({ ...order(100n, 1n), sellerId: 'a b' })).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.INVALID_ACCOUNT_OWNER }) as LedgerError,
    );
    expect(() => buildChargeEntry({ ...order(100n, 1n), paymentOrderId: '' })).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.INVALID_REFERENCE }) as LedgerError,
    );
  });

  it('always balances, with two postings for a zero fee and three otherwise', () => {
    fc.assert(
      fc.property(
        fc
          .oneof(fc.bigInt(1n, 10_000n), fc.bigInt(1n, 10n ** 17n))
          .chain((amountMinor) => fc.tuple(fc.constant(amountMinor), fc.bigInt(0n, amountMinor - 1n))),
        fc.constantFrom<CurrencyCode>('KRW', 'USD', 'KWD', 'JPY'),
        ([amountMinor, feeMinor], currency) => {
          const entry = buildChargeEntry(order(amountMinor, feeMinor, currency));
          expect([...sumsByCurrency(entry.postings)]).toEqual([[currency, 0n]]);
          expect(entry.postings.length).toBe(feeMinor === 0n ? 2 : 3);
          expect(entry.postings[0]?.amount.amountMinor).toBe(amountMinor);
        },
      ),
    );
  });
});
