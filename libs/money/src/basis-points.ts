import { toExactInteger } from './integer.util';
import { Money } from './money';
import { MoneyError, MoneyErrorCode, quoteInput } from './money.error';
import { divideAndRound, isRoundingMode, RoundingMode } from './rounding';

/** A whole is 10 000 basis points: 1 bp = 0.01 %, so a 2.9 % fee is 290 bp. */
export const BASIS_POINTS_PER_WHOLE = 10_000n;

/**
 * `money × basisPoints / 10 000`, computed exactly and rounded once by `rounding`. Negative
 * amounts (refunds) and negative basis points (rebates) round by the same mode's rule.
 */
export function percentageOfBasisPoints(
  money: Money,
  basisPoints: bigint | number,
  rounding: RoundingMode,
): Money {
  if (!isRoundingMode(rounding)) {
    throw new MoneyError(
      MoneyErrorCode.INVALID_ROUNDING_MODE,
      `Unknown rounding mode ${quoteInput(rounding)}`,
    );
  }
  const numerator = money.amountMinor * toExactInteger(basisPoints, 'basisPoints');
  return Money.of(divideAndRound(numerator, BASIS_POINTS_PER_WHOLE, rounding), money.currency);
}
