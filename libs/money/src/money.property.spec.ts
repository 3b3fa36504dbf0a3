import fc from 'fast-check';
import { allocate, splitEvenly } from './allocation';
import { BASIS_POINTS_PER_WHOLE, percentageOfBasisPoints } from './basis-points';
import { CURRENCY_CODES, CurrencyCode } from './currency';
import { absoluteValue } from './integer.util';
import { formatMajor, parseMajor } from './major-units';
import { MAX_ABS_AMOUNT_MINOR, Money, sum } from './money';
import { MoneyError, MoneyErrorCode } from './money.error';
import { ROUNDING_MODES, RoundingMode } from './rounding';

// A third of the range, so that sums of three amounts never leave it.
const THIRD_OF_RANGE = MAX_ABS_AMOUNT_MINOR / 3n;

const currencyArbitrary = fc.constantFrom(...CURRENCY_CODES);
// Small amounts find off-by-one errors near zero; large ones find precision and sign errors.
const amountMinorArbitrary = fc.oneof(fc.bigInt(-1000n, 1000n), fc.bigInt(-THIRD_OF_RANGE, THIRD_OF_RANGE));
const moneyArbitrary = fc
  .tuple(amountMinorArbitrary, currencyArbitrary)
  .map(([amountMinor, currency]) => Money.of(amountMinor, currency));
const sameCurrencyTripleArbitrary = fc
  .tuple(currencyArbitrary, amountMinorArbitrary, amountMinorArbitrary, amountMinorArbitrary)
  .map(([currency, ...amounts]) => amounts.map((amountMinor) => Money.of(amountMinor, currency)));
const twoCurrenciesArbitrary = fc
  .uniqueArray(currencyArbitrary, { minLength: 2, maxLength: 2 })
  .map(([first, second]) => [first, second] as [CurrencyCode, CurrencyCode]);
const ratiosArbitrary = fc
  .array(fc.oneof(fc.bigInt(0n, 10n), fc.bigInt(0n, 10n ** 24n)), { minLength: 1, maxLength: 20 })
  .filter((ratios) => ratios.some((ratio) => ratio > 0n));

describe('arithmetic laws', () => {
  it('plus and minus are inverse', () => {
    fc.assert(
      fc.property(sameCurrencyTripleArbitrary, ([a, b]) => {
        expect(a.plus(b).minus(b)).toEqual(a);
        expect(a.minus(b).plus(b)).toEqual(a);
      }),
    );
  });

  it('plus is commutative and associative, and sum agrees with it', () => {
    fc.assert(
      fc.property(sameCurrencyTripleArbitrary, ([a, b, c]) => {
        expect(a.plus(b)).toEqual(b.plus(a));
        expect(a.plus(b).plus(c)).toEqual(a.plus(b.plus(c)));
        expect(sum([a, b, c], a.currency)).toEqual(a.plus(b).plus(c));
      }),
    );
  });

  it('compare is antisymmetric and consistent with equals and minus', () => {
    fc.assert(
      fc.property(sameCurrencyTripleArbitrary, ([a, b]) => {
        expect(a.compare(b) + b.compare(a)).toBe(0);
        expect(a.equals(b)).toBe(a.compare(b) === 0);
        expect(a.compare(b) < 0).toBe(a.minus(b).isNegative());
      }),
    );
  });

  it('mixing currencies always throws CURRENCY_MISMATCH', () => {
    const operations = [
      (a: Money, b: Money) => a.plus(b),
      (a: Money, b: Money) => a.minus(b),
      (a: Money, b: Money) => a.equals(b),
      (a: Money, b: Money) => a.compare(b),
      (a: Money, b: Money) => sum([a, b], a.currency),
    ];
    fc.assert(
      fc.property(
        twoCurrenciesArbitrary,
        amountMinorArbitrary,
        amountMinorArbitrary,
        ([first, second], x, y) => {
          const a = Money.of(x, first);
          const b = Money.of(y, second);
          for (const operation of operations) {
            expect(() => operation(a, b)).toThrow(
              expect.objectContaining({ code: MoneyErrorCode.CURRENCY_MISMATCH }),
            );
          }
        },
      ),
    );
  });
});

describe('allocation laws', () => {
  it('parts sum to the total and each is within one minor unit of its exact share', () => {
    fc.assert(
      fc.property(moneyArbitrary, ratiosArbitrary, (money, ratios) => {
        const parts = allocate(money, ratios);
        const weightSum = ratios.reduce((total, ratio) => total + ratio, 0n);
        expect(parts).toHaveLength(ratios.length);
        expect(sum(parts, money.currency)).toEqual(money);
        parts.forEach((part, index) => {
          // |part - total × ratio / weightSum| < 1, scaled by weightSum to stay in integers.
          const scaledError = part.amountMinor * weightSum - money.amountMinor * ratios[index];
          expect(absoluteValue(scaledError) < weightSum).toBe(true);
          expect(part.isNegative() && money.isPositive()).toBe(false);
          expect(part.isPositive() && money.isNegative()).toBe(false);
        });
      }),
    );
  });

  it('splitEvenly parts sum to the total and differ by at most one, larger first', () => {
    fc.assert(
      fc.property(moneyArbitrary, fc.integer({ min: 1, max: 50 }), (money, partCount) => {
        const magnitudes = splitEvenly(money, partCount).map((part) => absoluteValue(part.amountMinor));
        expect(magnitudes.reduce((total, magnitude) => total + magnitude, 0n)).toBe(
          absoluteValue(money.amountMinor),
        );
        expect(magnitudes[0] - magnitudes[magnitudes.length - 1] <= 1n).toBe(true);
        magnitudes.slice(1).forEach((magnitude, index) => expect(magnitude <= magnitudes[index]).toBe(true));
      }),
    );
  });
});

describe('serialisation laws', () => {
  it('parseMajor(formatMajor(x)) is x', () => {
    fc.assert(
      fc.property(moneyArbitrary, (money) => {
        expect(parseMajor(formatMajor(money), money.currency)).toEqual(money);
      }),
    );
  });

  it('fromJSON(toJSON(x)) is x, also through JSON text', () => {
    fc.assert(
      fc.property(moneyArbitrary, (money) => {
        expect(Money.fromJSON(money.toJSON())).toEqual(money);
        expect(Money.fromJSON(JSON.parse(JSON.stringify(money)))).toEqual(money);
      }),
    );
  });
});

describe('basis-point rounding laws', () => {
  const basisPointsArbitrary = fc.oneof(fc.bigInt(-20_000n, 20_000n), fc.constantFrom(1n, 50n, 5000n, 9999n));

  it('lies within one minor unit of the exact result, on the side the mode requires', () => {
    fc.assert(
      fc.property(
        moneyArbitrary,
        basisPointsArbitrary,
        fc.constantFrom(...ROUNDING_MODES),
        (money, basisPoints, rounding) => {
          const result = percentageOfBasisPoints(money, basisPoints, rounding);
          const exactScaled = money.amountMinor * basisPoints;
          // result - exact, scaled by 10 000 so everything stays an integer.
          const errorScaled = result.amountMinor * BASIS_POINTS_PER_WHOLE - exactScaled;
          expect(result.currency).toBe(money.currency);
          expect(absoluteValue(errorScaled) < BASIS_POINTS_PER_WHOLE).toBe(true);
          expect(roundedAsModeRequires(rounding, exactScaled, errorScaled, result.amountMinor)).toBe(true);
        },
      ),
    );
  });
});

function roundedAsModeRequires(
  mode: RoundingMode,
  exactScaled: bigint,
  errorScaled: bigint,
  result: bigint,
): boolean {
  const towardZero = exactScaled >= 0n ? errorScaled <= 0n : errorScaled >= 0n;
  const awayFromZero = exactScaled >= 0n ? errorScaled >= 0n : errorScaled <= 0n;
  const twiceError = 2n * absoluteValue(errorScaled);
  const isNearest = twiceError <= BASIS_POINTS_PER_WHOLE;
  const isTie = twiceError === BASIS_POINTS_PER_WHOLE;
  switch (mode) {
    case 'down':
      return towardZero;
    case 'up':
      return awayFromZero;
    case 'floor':
      return errorScaled <= 0n;
    case 'ceiling':
      return errorScaled >= 0n;
    case 'half_up':
      return isNearest && (!isTie || awayFromZero);
    case 'half_even':
      return isNearest && (!isTie || result % 2n === 0n);
  }
}

it('MoneyError is an Error with a code', () => {
  const error = new MoneyError(MoneyErrorCode.INVALID_AMOUNT, 'bad');
  expect(error).toBeInstanceOf(Error);
  expect([error.name, error.code, error.message]).toEqual(['MoneyError', 'INVALID_AMOUNT', 'bad']);
});
