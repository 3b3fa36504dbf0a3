/**
 * How to round an exact quotient to a whole minor unit (the java.math.RoundingMode meanings):
 * - `half_even`: to nearest, ties to the even neighbour (banker's rounding, no bias over many sums);
 * - `half_up`: to nearest, ties away from zero (what most people learned at school);
 * - `down`: toward zero; `up`: away from zero;
 * - `floor`: toward negative infinity; `ceiling`: toward positive infinity.
 */
export const ROUNDING_MODES = ['half_even', 'half_up', 'down', 'up', 'floor', 'ceiling'] as const;

export type RoundingMode = (typeof ROUNDING_MODES)[number];

export function isRoundingMode(value: unknown): value is RoundingMode {
  return typeof value === 'string' && (ROUNDING_MODES as readonly string[]).includes(value);
}

/** Exact `numerator / denominator` rounded by `mode`; `denominator` must be positive. */
export function divideAndRound(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  // bigint division truncates toward zero, and the remainder takes the sign of the numerator.
  const truncated = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return truncated;
  const isNegative = numerator < 0n;
  const twiceRemainder = 2n * (isNegative ? -remainder : remainder);
  const halfComparison = twiceRemainder === denominator ? 0 : twiceRemainder > denominator ? 1 : -1;
  const roundsAway = roundsAwayFromZero(mode, isNegative, halfComparison, truncated);
  return roundsAway ? truncated + (isNegative ? -1n : 1n) : truncated;
}

/** Decides for an inexact quotient; `halfComparison` compares the dropped fraction with one half. */
function roundsAwayFromZero(
  mode: RoundingMode,
  isNegative: boolean,
  halfComparison: -1 | 0 | 1,
  truncated: bigint,
): boolean {
  switch (mode) {
    case 'down':
      return false;
    case 'up':
      return true;
    case 'floor':
      return isNegative;
    case 'ceiling':
      return !isNegative;
    case 'half_up':
      return halfComparison >= 0;
    case 'half_even':
      return halfComparison > 0 || (halfComparison === 0 && truncated % 2n !== 0n);
  }
}
