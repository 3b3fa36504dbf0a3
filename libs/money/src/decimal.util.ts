import { MoneyError, MoneyErrorCode, quoteInput } from './money.error';

// ASCII digits only (no `u` flag, so `\d` is [0-9]); no '+', exponent, grouping or whitespace.
const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;
const LEADING_ZEROS_PATTERN = /^0+(?=\d)/;

/** Writes minor units as a plain decimal with exactly `exponent` fraction digits: 1234n, 2 → "12.34". */
export function formatMinorUnits(amountMinor: bigint, exponent: number): string {
  const sign = amountMinor < 0n ? '-' : '';
  const digits = (amountMinor < 0n ? -amountMinor : amountMinor).toString();
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/**
 * Reads a plain decimal such as "-12.34" as minor units with the given exponent. More fraction
 * digits than the exponent are refused rather than rounded: silently dropping a digit of money
 * is the bug this library exists to prevent.
 */
export function parseDecimalToMinorUnits(
  input: unknown,
  exponent: number,
  maxAbsAmountMinor: bigint,
): bigint {
  const match = typeof input === 'string' ? DECIMAL_PATTERN.exec(input) : null;
  if (match === null) {
    throw new MoneyError(
      MoneyErrorCode.INVALID_AMOUNT,
      `Amount ${quoteInput(input)} is not a plain decimal string such as "12.34" or "-5"`,
    );
  }
  const [, sign, integerDigits, fractionDigits = ''] = match;
  if (fractionDigits.length > exponent) {
    throw new MoneyError(
      MoneyErrorCode.INVALID_AMOUNT,
      `Amount ${quoteInput(input)} has ${fractionDigits.length} fraction digits; the currency allows ${exponent}`,
    );
  }
  const magnitudeDigits = (integerDigits + fractionDigits.padEnd(exponent, '0')).replace(
    LEADING_ZEROS_PATTERN,
    '',
  );
  // Checking the digit count first keeps a huge input from being turned into a huge bigint.
  if (magnitudeDigits.length > maxAbsAmountMinor.toString().length)
    throw amountTooLarge(input, maxAbsAmountMinor);
  const magnitude = BigInt(magnitudeDigits);
  if (magnitude > maxAbsAmountMinor) throw amountTooLarge(input, maxAbsAmountMinor);
  return sign === '-' ? -magnitude : magnitude;
}

function amountTooLarge(input: unknown, maxAbsAmountMinor: bigint): MoneyError {
  return new MoneyError(
    MoneyErrorCode.INVALID_AMOUNT,
    `Amount ${quoteInput(input)} exceeds the limit of ${maxAbsAmountMinor} minor units`,
  );
}
