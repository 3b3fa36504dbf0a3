import { MoneyError, MoneyErrorCode, quoteInput } from './money.error';

/**
 * Takes a bigint as is, or a number only when it is a safe integer: beyond 2^53 a number may
 * already have lost digits, and a fraction means someone computed money in floating point.
 */
export function toExactInteger(value: bigint | number, name: string): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) {
    throw new MoneyError(
      MoneyErrorCode.NOT_AN_INTEGER,
      `${name} must be a bigint or a safe integer number, got ${quoteInput(value)}`,
    );
  }
  return BigInt(value);
}

/**
 * True for a positive safe integer number: what an API may accept as a JSON `amountMinor` before
 * turning it into a bigint. Zero, negatives, fractions, NaN and anything beyond 2^53 - 1 fail.
 */
export function isSafeMinorAmount(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

export function absoluteValue(value: bigint): bigint {
  return value < 0n ? -value : value;
}
