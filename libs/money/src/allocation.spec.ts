import { allocate, DEFAULT_MAX_ALLOCATION_PARTS, splitEvenly } from './allocation';
import { Money } from './money';
import { MoneyErrorCode } from './money.error';

const moneyError = (code: MoneyErrorCode) => expect.objectContaining({ name: 'MoneyError', code });
const amountsOf = (parts: readonly Money[]) => parts.map((part) => part.amountMinor);

describe('allocate', () => {
  it('gives leftover minor units to the largest dropped fractions', () => {
    // Exact shares of 100 by 1:1:1 are 33.33 each; by 3:7 of 5 they are 1.5 and 3.5.
    expect(amountsOf(allocate(Money.of(100n, 'USD'), [1, 1, 1]))).toEqual([34n, 33n, 33n]);
    expect(amountsOf(allocate(Money.of(5n, 'USD'), [3n, 7n]))).toEqual([2n, 3n]);
    // Exact shares of 10 by 1:2:2:5 are whole, so nothing is left over.
    expect(amountsOf(allocate(Money.of(10n, 'KRW'), [1, 2, 2, 5]))).toEqual([1n, 2n, 2n, 5n]);
    // 7 by 1:2:4:3 is 0.7, 1.4, 2.8, 2.1: floors 0, 1, 2, 2 and the two left go to .8 then .7.
    expect(amountsOf(allocate(Money.of(7n, 'KRW'), [1, 2, 4, 3]))).toEqual([1n, 1n, 3n, 2n]);
    // 2 by 1:1:1 ties on every fraction, so the lower indices win.
    expect(amountsOf(allocate(Money.of(2n, 'KRW'), [1, 1, 1]))).toEqual([1n, 1n, 0n]);
  });

  it('splits a negative total as the mirror image of the positive one', () => {
    expect(amountsOf(allocate(Money.of(-100n, 'USD'), [1, 1, 1]))).toEqual([-34n, -33n, -33n]);
  });

  it('gives nothing to zero ratios and everything to a single ratio', () => {
    expect(amountsOf(allocate(Money.of(101n, 'EUR'), [0, 1, 0, 1]))).toEqual([0n, 51n, 0n, 50n]);
    expect(amountsOf(allocate(Money.of(101n, 'EUR'), [7n]))).toEqual([101n]);
  });

  it('keeps the currency and splits zero into zeros', () => {
    const parts = allocate(Money.zero('JPY'), [1, 2]);
    expect(parts).toEqual([Money.zero('JPY'), Money.zero('JPY')]);
  });

  it('handles ratios far beyond the safe number range', () => {
    const huge = 10n ** 30n;
    expect(amountsOf(allocate(Money.of(3n, 'USD'), [huge, huge, huge + 1n]))).toEqual([1n, 1n, 1n]);
  });

  it.each<[string, readonly (bigint | number)[]]>([
    ['no ratios', []],
    ['all zero ratios', [0, 0n]],
    ['a negative ratio', [1, -1]],
    ['a negative bigint ratio', [2n, -1n]],
    ['a fractional ratio', [0.5, 0.5]],
    ['an unsafe ratio', [Number.MAX_SAFE_INTEGER + 1]],
    ['a NaN ratio', [Number.NaN]],
  ])('refuses %s with INVALID_ALLOCATION', (_case, ratios) => {
    expect(() => allocate(Money.of(100n, 'USD'), ratios)).toThrow(
      moneyError(MoneyErrorCode.INVALID_ALLOCATION),
    );
  });

  it('refuses more parts than the configured limit', () => {
    const ratios = new Array<number>(DEFAULT_MAX_ALLOCATION_PARTS + 1).fill(1);
    expect(() => allocate(Money.of(1n, 'USD'), ratios)).toThrow(
      moneyError(MoneyErrorCode.INVALID_ALLOCATION),
    );
    expect(allocate(Money.of(1n, 'USD'), ratios, { maxParts: ratios.length })).toHaveLength(ratios.length);
    expect(() => allocate(Money.of(1n, 'USD'), [1, 1, 1], { maxParts: 2 })).toThrow(
      moneyError(MoneyErrorCode.INVALID_ALLOCATION),
    );
  });
});

describe('splitEvenly', () => {
  it('puts the larger parts first', () => {
    expect(amountsOf(splitEvenly(Money.of(10n, 'USD'), 3))).toEqual([4n, 3n, 3n]);
    expect(amountsOf(splitEvenly(Money.of(-10n, 'USD'), 4))).toEqual([-3n, -3n, -2n, -2n]);
    expect(amountsOf(splitEvenly(Money.of(2n, 'USD'), 5))).toEqual([1n, 1n, 0n, 0n, 0n]);
    expect(amountsOf(splitEvenly(Money.of(9n, 'USD'), 1))).toEqual([9n]);
  });

  it.each([0, -1, 1.5, Number.NaN, DEFAULT_MAX_ALLOCATION_PARTS + 1])(
    'refuses %p parts with INVALID_ALLOCATION',
    (partCount) => {
      expect(() => splitEvenly(Money.of(10n, 'USD'), partCount)).toThrow(
        moneyError(MoneyErrorCode.INVALID_ALLOCATION),
      );
    },
  );

  it('honours a configured part limit', () => {
    expect(() => splitEvenly(Money.of(10n, 'USD'), 3, { maxParts: 2 })).toThrow(
      moneyError(MoneyErrorCode.INVALID_ALLOCATION),
    );
  });
});
