import fc from 'fast-check';
import { Money } from '@keel/money';
import {
  assertPlatformFeeOf,
  DEFAULT_FEE_POLICY,
  FeePolicyError,
  parseFeePolicy,
  platformFeeOf,
} from './platform-fee';

describe('platformFeeOf', () => {
  it('takes the method’s basis points, rounded half-even by default', () => {
    expect(platformFeeOf(Money.of(10_000n, 'KRW'), 'card', DEFAULT_FEE_POLICY)).toEqual(
      Money.of(250n, 'KRW'),
    );
    // 2.5% of 1,020 = 25.5, half-even → 26; of 1,060 = 26.5 → 26.
    expect(platformFeeOf(Money.of(1_020n, 'KRW'), 'card', DEFAULT_FEE_POLICY)).toEqual(Money.of(26n, 'KRW'));
    expect(platformFeeOf(Money.of(1_060n, 'KRW'), 'card', DEFAULT_FEE_POLICY)).toEqual(Money.of(26n, 'KRW'));
    expect(platformFeeOf(Money.of(1_000n, 'USD'), 'bank_transfer', DEFAULT_FEE_POLICY)).toEqual(
      Money.of(10n, 'USD'),
    );
  });

  it('leaves the seller at least one minor unit', () => {
    const policy = parseFeePolicy('{"card":9999}', 'up');
    expect(platformFeeOf(Money.of(1n, 'KRW'), 'card', policy)).toEqual(Money.of(0n, 'KRW'));
    expect(platformFeeOf(Money.of(2n, 'KRW'), 'card', policy)).toEqual(Money.of(1n, 'KRW'));
  });

  it('is never negative and never reaches the amount', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        fc.integer({ min: 0, max: 9_999 }),
        (amountMinor, bps) => {
          const fee = platformFeeOf(
            Money.of(amountMinor, 'USD'),
            'card',
            parseFeePolicy(`{"card":${bps}}`, 'ceiling'),
          );
          return fee.amountMinor >= 0n && fee.amountMinor < amountMinor;
        },
      ),
    );
  });

  it('refuses a non-positive amount', () => {
    expect(() => platformFeeOf(Money.zero('KRW'), 'card', DEFAULT_FEE_POLICY)).toThrow(FeePolicyError);
  });
});

describe('assertPlatformFeeOf', () => {
  it('accepts a fee from zero up to one minor unit below the amount, in its currency', () => {
    expect(() => assertPlatformFeeOf(Money.of(100n, 'KRW'), Money.of(0n, 'KRW'))).not.toThrow();
    expect(() => assertPlatformFeeOf(Money.of(100n, 'KRW'), Money.of(99n, 'KRW'))).not.toThrow();
  });

  it.each([
    ['a negative fee', Money.of(-1n, 'KRW'), 'outside 0 ≤ fee < 100 KRW'],
    ['a fee equal to the amount', Money.of(100n, 'KRW'), 'outside 0 ≤ fee < 100 KRW'],
    ['a fee above the amount', Money.of(101n, 'KRW'), 'outside 0 ≤ fee < 100 KRW'],
    ['a fee in another currency', Money.of(1n, 'USD'), 'not in the currency of 100 KRW'],
  ])('refuses %s', (_name, fee, message) => {
    expect(() => assertPlatformFeeOf(Money.of(100n, 'KRW'), fee)).toThrow(FeePolicyError);
    expect(() => assertPlatformFeeOf(Money.of(100n, 'KRW'), fee)).toThrow(message);
  });
});

describe('parseFeePolicy', () => {
  it('overrides defaults per method and reads the rounding mode', () => {
    const policy = parseFeePolicy('{"easy_pay":150}', 'floor');
    expect(policy.basisPointsByMethod).toEqual({ card: 250, easy_pay: 150, bank_transfer: 100, mobile: 350 });
    expect(policy.rounding).toBe('floor');
  });

  it.each([
    ['{"crypto":10}', 'half_even', 'unknown payment method type'],
    ['{"card":10000}', 'half_even', 'from 0 to 9999'],
    ['{"card":1.5}', 'half_even', 'from 0 to 9999'],
    ['[1]', 'half_even', 'JSON object'],
    ['{card', 'half_even', 'not valid JSON'],
    ['{}', 'banker', 'unknown rounding mode'],
  ])('rejects %s with %s', (json, rounding, message) => {
    expect(() => parseFeePolicy(json, rounding)).toThrow(message);
  });
});
