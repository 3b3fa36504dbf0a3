import { absoluteValue } from './integer.util';
import { Money } from './money';
import { MoneyError, MoneyErrorCode, quoteInput } from './money.error';

/** Bounds the work and memory of one split; a larger split is almost certainly a caller bug. */
export const DEFAULT_MAX_ALLOCATION_PARTS = 10_000;

export interface AllocationOptions {
  /** Most parts one call may produce; defaults to `DEFAULT_MAX_ALLOCATION_PARTS`. */
  readonly maxParts?: number;
}

/**
 * Splits `money` in proportion to `ratios` so that the parts add up exactly to the total. Each part
 * gets the floor of its exact share; the minor units left over go one each to the parts with the
 * largest dropped fractions, and on equal fractions to the lower index, so the result is
 * deterministic. A negative total is split as its magnitude and every part negated.
 */
export function allocate(
  money: Money,
  ratios: readonly (bigint | number)[],
  options: AllocationOptions = {},
): Money[] {
  const weights = toWeights(ratios, options.maxParts ?? DEFAULT_MAX_ALLOCATION_PARTS);
  const sign = money.isNegative() ? -1n : 1n;
  const magnitudes = allocateMagnitude(absoluteValue(money.amountMinor), weights);
  return magnitudes.map((magnitude) => Money.of(sign * magnitude, money.currency));
}

/** Splits `money` into `partCount` parts that differ by at most one minor unit, larger parts first. */
export function splitEvenly(money: Money, partCount: number, options: AllocationOptions = {}): Money[] {
  const maxParts = options.maxParts ?? DEFAULT_MAX_ALLOCATION_PARTS;
  if (!Number.isSafeInteger(partCount) || partCount < 1 || partCount > maxParts) {
    throw new MoneyError(
      MoneyErrorCode.INVALID_ALLOCATION,
      `Part count must be an integer from 1 to ${maxParts}, got ${quoteInput(partCount)}`,
    );
  }
  return allocate(money, new Array<bigint>(partCount).fill(1n), options);
}

function toWeights(ratios: readonly (bigint | number)[], maxParts: number): bigint[] {
  if (!Array.isArray(ratios) || ratios.length === 0 || ratios.length > maxParts) {
    throw new MoneyError(
      MoneyErrorCode.INVALID_ALLOCATION,
      `Ratios must be a list of 1 to ${maxParts} entries, got ${Array.isArray(ratios) ? ratios.length : quoteInput(ratios)}`,
    );
  }
  const weights = ratios.map(toWeight);
  if (weights.every((weight) => weight === 0n)) {
    throw new MoneyError(MoneyErrorCode.INVALID_ALLOCATION, 'Ratios must have a positive sum, got all zeros');
  }
  return weights;
}

function toWeight(ratio: bigint | number, index: number): bigint {
  const isNonNegativeInteger =
    typeof ratio === 'bigint' ? ratio >= 0n : Number.isSafeInteger(ratio) && ratio >= 0;
  if (!isNonNegativeInteger) {
    throw new MoneyError(
      MoneyErrorCode.INVALID_ALLOCATION,
      `Ratio at index ${index} must be a non-negative integer, got ${quoteInput(ratio)}`,
    );
  }
  return BigInt(ratio);
}

function allocateMagnitude(totalMinor: bigint, weights: readonly bigint[]): bigint[] {
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0n);
  const parts = weights.map((weight) => (totalMinor * weight) / weightSum);
  const droppedFractions = weights.map((weight) => (totalMinor * weight) % weightSum);
  // The dropped fractions add up to fewer minor units than there are parts with a non-zero fraction,
  // so each of those parts receives at most one.
  let leftoverMinor = totalMinor - parts.reduce((sum, part) => sum + part, 0n);
  const indicesByLargestFraction = weights
    .map((_, index) => index)
    .sort(
      (left, right) => compareDescending(droppedFractions[left], droppedFractions[right]) || left - right,
    );
  for (const index of indicesByLargestFraction) {
    if (leftoverMinor === 0n) break;
    parts[index] += 1n;
    leftoverMinor -= 1n;
  }
  return parts;
}

function compareDescending(left: bigint, right: bigint): number {
  if (left === right) return 0;
  return left > right ? -1 : 1;
}
