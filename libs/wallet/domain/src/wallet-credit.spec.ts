import fc from 'fast-check';
import { Money } from '@keel/money';
import { assertBalanceAfter, creditedBalance, paymentOrderCreditOf } from './wallet-credit';
import { WalletErrorCode } from './wallet.error';

const walletError = (code: WalletErrorCode) => expect.objectContaining({ name: 'WalletError', code });
const usd = (amountMinor: bigint) => Money.of(amountMinor, 'USD');
const krw = (amountMinor: bigint) => Money.of(amountMinor, 'KRW');

describe('paymentOrderCreditOf', () => {
  it('credits the seller the order amount less the fee the event carries, whatever rate it implies', () => {
    expect(paymentOrderCreditOf(usd(10_000n), usd(123n))).toEqual({
      gross: usd(10_000n),
      fee: usd(123n),
      net: usd(9_877n),
    });
  });

  it('credits the whole amount for a zero fee, and one minor unit for a fee one below the amount', () => {
    expect(paymentOrderCreditOf(krw(5_000n), krw(0n)).net).toEqual(krw(5_000n));
    expect(paymentOrderCreditOf(krw(5_000n), krw(4_999n)).net).toEqual(krw(1n));
  });

  it('always splits the gross exactly into the fee and a positive net', () => {
    fc.assert(
      fc.property(
        fc
          .bigInt({ min: 1n, max: 10n ** 15n })
          .chain((gross) => fc.tuple(fc.constant(gross), fc.bigInt({ min: 0n, max: gross - 1n }))),
        ([gross, fee]) => {
          const credit = paymentOrderCreditOf(krw(gross), krw(fee));
          return credit.fee.plus(credit.net).equals(credit.gross) && credit.net.isPositive();
        },
      ),
    );
  });

  it.each([
    ['a negative fee', krw(-1n)],
    ['a fee of the whole amount', krw(5_000n)],
    ['a fee above the amount', krw(5_001n)],
    ['a fee in another currency', usd(10n)],
  ])('refuses %s', (_name, fee) => {
    expect(() => paymentOrderCreditOf(krw(5_000n), fee)).toThrow(walletError(WalletErrorCode.INVALID_CREDIT));
  });

  it('refuses an amount that is not positive', () => {
    expect(() => paymentOrderCreditOf(usd(0n), usd(0n))).toThrow(walletError(WalletErrorCode.INVALID_CREDIT));
    expect(() => paymentOrderCreditOf(usd(-100n), usd(0n))).toThrow(
      walletError(WalletErrorCode.INVALID_CREDIT),
    );
  });
});

describe('creditedBalance', () => {
  it('adds the credit to the previous balance', () => {
    expect(creditedBalance(usd(0n), usd(9_750n))).toEqual(usd(9_750n));
    expect(creditedBalance(usd(9_750n), usd(1n))).toEqual(usd(9_751n));
  });

  it('refuses a credit that is not positive or is in another currency', () => {
    expect(() => creditedBalance(usd(100n), usd(0n))).toThrow(walletError(WalletErrorCode.INVALID_CREDIT));
    expect(() => creditedBalance(usd(100n), usd(-5n))).toThrow(walletError(WalletErrorCode.INVALID_CREDIT));
    expect(() => creditedBalance(usd(100n), krw(5n))).toThrow(walletError(WalletErrorCode.INVALID_CREDIT));
  });
});

describe('assertBalanceAfter', () => {
  it('accepts a balance that is the previous one plus the amount', () => {
    expect(() => assertBalanceAfter(usd(100n), usd(50n), usd(150n))).not.toThrow();
  });

  it('refuses any other balance, or a mix of currencies', () => {
    expect(() => assertBalanceAfter(usd(100n), usd(50n), usd(151n))).toThrow(
      walletError(WalletErrorCode.BALANCE_MISMATCH),
    );
    expect(() => assertBalanceAfter(usd(100n), usd(50n), krw(150n))).toThrow(
      walletError(WalletErrorCode.BALANCE_MISMATCH),
    );
    expect(() => assertBalanceAfter(krw(100n), usd(50n), krw(150n))).toThrow(
      walletError(WalletErrorCode.BALANCE_MISMATCH),
    );
  });
});
