import { CurrencyCode, isCurrencyCode, MAX_ABS_AMOUNT_MINOR } from '@keel/money';
import { SettlementFileError, SettlementFileProblem } from '../settlement-file.error';
import { formatDay, isCalendarDay } from './calendar-day';
import { isValidLocalDateTime, LocalDateTime, utcInstantOf } from './zoned-time';

const DIGITS_PATTERN = /^\d+$/;
const LINE_BREAK_PATTERN = /[\r\n]/;
const MAX_AMOUNT_DIGITS = MAX_ABS_AMOUNT_MINOR.toString().length;
const QUOTED_FIELD_CHARS_MAX = 40;

/** A field for an error message: quoted, cut short so a huge field cannot bloat a log line. */
export function quoteField(text: string): string {
  return text.length <= QUOTED_FIELD_CHARS_MAX
    ? JSON.stringify(text)
    : `${JSON.stringify(text.slice(0, QUOTED_FIELD_CHARS_MAX))}… (${text.length} chars)`;
}

export function assertFieldCount(fields: readonly string[], expected: number, lineNumber: number): void {
  if (fields.length !== expected) {
    throw new SettlementFileError(
      SettlementFileProblem.WrongFieldCount,
      lineNumber,
      `expected ${expected} fields, got ${fields.length}`,
    );
  }
}

/** A reference (the PSP's or the merchant's): not empty, on one line. */
export function readReference(text: string, name: string, lineNumber: number): string {
  if (text === '' || LINE_BREAK_PATTERN.test(text)) {
    throw new SettlementFileError(
      SettlementFileProblem.BadField,
      lineNumber,
      `${name} ${quoteField(text)} is empty or spans lines`,
    );
  }
  return text;
}

/** An unsigned integer amount in minor units; `positive` refuses zero. */
export function readMinorUnits(text: string, name: string, lineNumber: number, positive: boolean): bigint {
  const digits = text.replace(/^0+(?=\d)/, '');
  if (
    !DIGITS_PATTERN.test(text) ||
    digits.length > MAX_AMOUNT_DIGITS ||
    BigInt(digits) > MAX_ABS_AMOUNT_MINOR
  ) {
    throw new SettlementFileError(
      SettlementFileProblem.BadAmount,
      lineNumber,
      `${name} ${quoteField(text)} is not an amount in minor units`,
    );
  }
  const amount = BigInt(digits);
  if (positive && amount === 0n) {
    throw new SettlementFileError(
      SettlementFileProblem.BadAmount,
      lineNumber,
      `${name} is zero; amounts are positive`,
    );
  }
  return amount;
}

export function readCurrency(text: string, lineNumber: number): CurrencyCode {
  if (!isCurrencyCode(text)) {
    throw new SettlementFileError(
      SettlementFileProblem.UnknownCurrency,
      lineNumber,
      `currency ${quoteField(text)} is not a known ISO 4217 code`,
    );
  }
  return text;
}

/** Fails unless a header record is exactly the dialect's column names. */
export function assertHeader(
  fields: readonly string[],
  expected: readonly string[],
  lineNumber: number,
): void {
  if (fields.length !== expected.length || fields.some((field, index) => field !== expected[index])) {
    throw new SettlementFileError(
      SettlementFileProblem.BadHeader,
      lineNumber,
      `expected the header ${quoteField(expected.join(','))}`,
    );
  }
}

/** A day from its parts, or `BadDate` naming the field. */
export function readDay(
  parts: readonly string[] | undefined,
  name: string,
  text: string,
  lineNumber: number,
): string {
  const [year, month, day] = (parts ?? []).map(Number);
  if (
    parts === undefined ||
    year === undefined ||
    month === undefined ||
    day === undefined ||
    !isCalendarDay(year, month, day)
  ) {
    throw new SettlementFileError(
      SettlementFileProblem.BadDate,
      lineNumber,
      `${name} ${quoteField(text)} is not a date`,
    );
  }
  return formatDay(year, month, day);
}

/** An event's wall-clock time in `timeZone`: its UTC instant and its day in that zone. */
export function readZonedTime(
  local: LocalDateTime | undefined,
  timeZone: string,
  name: string,
  text: string,
  lineNumber: number,
): { eventAt: string; eventDay: string } {
  if (local === undefined || !isValidLocalDateTime(local)) {
    throw new SettlementFileError(
      SettlementFileProblem.BadDate,
      lineNumber,
      `${name} ${quoteField(text)} is not a time`,
    );
  }
  const instant = utcInstantOf(local, timeZone);
  if (instant === undefined) {
    throw new SettlementFileError(
      SettlementFileProblem.BadDate,
      lineNumber,
      `${name} ${quoteField(text)} does not exist in ${timeZone} (the clocks skip it)`,
    );
  }
  return {
    eventAt: new Date(instant).toISOString(),
    eventDay: formatDay(local.year, local.month, local.day),
  };
}

/** Numbers of a matched date-time pattern, in the order year, month, day, hour, minute, second. */
export function localDateTimeOf(parts: readonly string[]): LocalDateTime {
  const [year, month, day, hour, minute, second] = parts.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { year, month, day, hour, minute, second };
}
