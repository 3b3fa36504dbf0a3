import type { PaymentMethodType } from '@keel/contracts';
import { DEFAULT_FEE_POLICY, parseFeePolicy } from '@keel/fees';
import { Money, type RoundingMode } from '@keel/money';
import { assertBalanceAfter, creditedBalance, paymentOrderCreditOf } from './wallet-credit';
import { WalletErrorCode } from './wallet.error';

const walletError = (code: WalletErrorCode) => expect.objectContaining({ name: 'WalletError', code });
const usd = (amountMinor: bigint) => Money.of(amountMinor, 'USD');
const krw = (amountMinor: bigint) => Money.of(amountMinor, 'KRW');

describe('paymentOrderCreditOf', () => {
  it('credits the seller the order amount less the platform fee, and keeps the rate', () => {
    expect(paymentOrderCreditOf(usd(10_000n), 'card', DEFAULT_FEE_POLICY)).toEqual({
      gross: usd(10_000n),
      fee: usd(250n),
      net: usd(9_750n),
      feeBasisPoints: 250,
    });
  });

  it.each<[PaymentMethodType, bigint, number]>([
    ['card', 250n, 250],
    ['easy_pay', 300n, 300],
    ['bank_transfer', 100n, 100],
    ['mobile', 350n, 350],
  ])('takes the default rate of %s', (methodType, feeOfTenThousand, basisPoints) => {
    const credit = paymentOrderCreditOf(krw(10_000n), methodType, DEFAULT_FEE_POLICY);
    expect(credit.fee).toEqual(krw(feeOfTenThousand));
    expect(credit.net).toEqual(krw(10_000n - feeOfTenThousand));
    expect(credit.feeBasisPoints).toBe(basisPoints);
  });

  it('takes the rate of a configured table', () => {
    const policy = parseFeePolicy('{"card":290,"easy_pay":0,"bank_transfer":100,"mobile":350}', 'half_even');
    expect(paymentOrderCreditOf(krw(10_000n), 'card', policy).fee).toEqual(krw(290n));
    expect(paymentOrderCreditOf(krw(10_000n), 'easy_pay', policy)).toEqual({
      gross: krw(10_000n),
      fee: krw(0n),
      net: krw(10_000n),
      feeBasisPoints: 0,
    });
  });

  it('counts in the currency’s own minor units: won for KRW, cents for USD', () => {
    // 2.5 % of 10 001 KRW is 250.025 won, of 100.01 USD 250.025 cents: both round to 250 units.
    expect(paymentOrderCreditOf(krw(10_001n), 'card', DEFAULT_FEE_POLICY).net).toEqual(krw(9_751n));
    expect(paymentOrderCreditOf(usd(10_001n), 'card', DEFAULT_FEE_POLICY).net).toEqual(usd(9_751n));
    // 3.5 % of 15 900 KRW is exactly 556.5 won: half-even keeps 556 for the platform.
    expect(paymentOrderCreditOf(krw(15_900n), 'mobile', DEFAULT_FEE_POLICY).fee).toEqual(krw(556n));
  });

  it.each<[RoundingMode, bigint, bigint]>([
    // 250 bp of 1 234 KRW is 30.85 won; of 1 220 KRW exactly 30.5 won.
    ['half_even', 31n, 30n],
    ['half_up', 31n, 31n],
    ['down', 30n, 30n],
    ['up', 31n, 31n],
    ['floor', 30n, 30n],
    ['ceiling', 31n, 31n],
  ])('rounds the fee %s as configured', (rounding, feeOf1234, feeOf1220) => {
    const policy = parseFeePolicy('{}', rounding);
    expect(paymentOrderCreditOf(krw(1_234n), 'card', policy).fee.amountMinor).toBe(feeOf1234);
    expect(paymentOrderCreditOf(krw(1_220n), 'card', policy).fee.amountMinor).toBe(feeOf1220);
  });

  it('leaves the seller at least one minor unit where the fee would round up to the whole amount', () => {
    const roundingUp = parseFeePolicy('{"mobile":9999}', 'ceiling');
    expect(paymentOrderCreditOf(krw(1n), 'mobile', roundingUp)).toEqual({
      gross: krw(1n),
      fee: krw(0n),
      net: krw(1n),
      feeBasisPoints: 9_999,
    });
    expect(paymentOrderCreditOf(usd(1n), 'card', parseFeePolicy('{}', 'up')).net).toEqual(usd(1n));
    expect(paymentOrderCreditOf(krw(2n), 'mobile', roundingUp).net).toEqual(krw(1n));
  });

  it('always splits the gross exactly into a fee and a positive net', () => {
    const policies = [DEFAULT_FEE_POLICY, parseFeePolicy('{"mobile":9999}', 'ceiling')];
    for (const policy of policies) {
      for (let amountMinor = 1n; amountMinor <= 2_000n; amountMinor += 7n) {
        const credit = paymentOrderCreditOf(krw(amountMinor), 'mobile', policy);
        expect(credit.fee.plus(credit.net)).toEqual(credit.gross);
        expect(credit.net.isPositive() && !credit.fee.isNegative()).toBe(true);
      }
    }
  });

  it('refuses an amount that is not positive', () => {
    expect(() => paymentOrderCreditOf(usd(0n), 'card', DEFAULT_FEE_POLICY)).toThrow(
      walletError(WalletErrorCode.INVALID_CREDIT),
    );
    expect(() => paymentOrderCreditOf(usd(-100n), 'card', DEFAULT_FEE_POLICY)).toThrow(
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
