import { CurrencyCode, currencyOf, MoneyError, parseMajor } from '@keel/money';
import { csvRecordChunks } from '../parsing/csv-records';
import type { FileDay } from '../parsing/file-day';
import {
  assertFieldCount,
  assertHeader,
  localDateTimeOf,
  quoteField,
  readCurrency,
  readDay,
  readReference,
  readZonedTime,
} from '../parsing/field-readers';
import { SettlementFileError, SettlementFileProblem } from '../settlement-file.error';
import { SettlementFileSummary, SettlementTotals } from '../settlement-file-summary';
import { DialectParser, type SettlementSource } from '../settlement-parser';
import type { SettlementRow } from '../settlement-row';

const HEADER = [
  'Buchungstag',
  'Transaktions-ID',
  'Auftragsnummer',
  'Betrag',
  'Waehrung',
  'Zeitpunkt',
] as const;
const TRAILER_MARK = 'SUMME';
const DAY_PATTERN = /^(\d{2})\.(\d{2})\.(\d{4})$/;
const TIME_PATTERN = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})$/;
const DECIMAL_COMMA_PATTERN = /^(-?\d+)(?:,(\d+))?$/;
const ROW_COUNT_PATTERN = /^\d{1,15}$/;
const ZERO_PATTERN = /^-?0+(?:,0+)?$/;

/** What the trailer lines have stated so far, to check that every currency has one. */
interface TrailerState {
  firstLine: number | undefined;
  withoutCurrency: boolean;
  readonly currencies: Set<CurrencyCode>;
}

/**
 * nova: CSV with a header, semicolon-separated, major units with a decimal comma (a refund is a
 * negative amount), Europe/Berlin local times, no fee per row: the file's fee is in its trailer,
 * `SUMME;<rows>;<signed sum>;<fee>[;<currency>]`, one line per currency when there are several.
 */
export class NovaSettlementParser extends DialectParser {
  readonly psp = 'nova';
  readonly timeZone = 'Europe/Berlin';

  protected async *read(
    source: SettlementSource,
    fileDay: FileDay,
  ): AsyncGenerator<readonly SettlementRow[], SettlementFileSummary> {
    const totals = new SettlementTotals();
    const trailer: TrailerState = { firstLine: undefined, withoutCurrency: false, currencies: new Set() };
    let lastLine = 0;
    const chunks = csvRecordChunks(source, { delimiter: ';', maxRecordChars: this.limits.maxLineChars });
    for await (const records of chunks) {
      const rows: SettlementRow[] = [];
      for (const { lineNumber, fields } of records) {
        const isFirst = lastLine === 0;
        lastLine = lineNumber;
        if (isFirst) {
          assertHeader(fields, HEADER, lineNumber);
        } else if (fields[0] === TRAILER_MARK) {
          this.#checkTrailerLine(fields, lineNumber, totals, trailer);
        } else if (trailer.firstLine !== undefined) {
          throw new SettlementFileError(
            SettlementFileProblem.RowAfterTrailer,
            lineNumber,
            `a row after the trailer (line ${trailer.firstLine})`,
          );
        } else {
          const row = this.#rowOf(fields, lineNumber, fileDay);
          totals.add(row);
          rows.push(row);
        }
      }
      if (rows.length > 0) yield rows;
    }
    if (lastLine === 0)
      throw new SettlementFileError(SettlementFileProblem.BadHeader, 1, 'the file is empty');
    if (trailer.firstLine === undefined) {
      throw new SettlementFileError(
        SettlementFileProblem.MissingTrailer,
        lastLine + 1,
        `no ${TRAILER_MARK} trailer after the last row`,
      );
    }
    const unstated = totals.currencies().filter((currency) => !trailer.currencies.has(currency));
    if (unstated.length > 0 && !trailer.withoutCurrency) {
      throw new SettlementFileError(
        SettlementFileProblem.TrailerMismatch,
        trailer.firstLine,
        `no ${TRAILER_MARK} line for ${unstated.join(', ')}`,
      );
    }
    return totals.summary(this.psp, fileDay.day);
  }

  #rowOf(fields: readonly string[], lineNumber: number, fileDay: FileDay): SettlementRow {
    assertFieldCount(fields, HEADER.length, lineNumber);
    const [bookingDay, transactionId, orderNumber, amount, currencyText, time] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const dateColumn = readDay(dayParts(DAY_PATTERN.exec(bookingDay)), 'Buchungstag', bookingDay, lineNumber);
    const timeMatch = TIME_PATTERN.exec(time);
    const local =
      timeMatch === null
        ? undefined
        : localDateTimeOf([timeMatch[3], timeMatch[2], timeMatch[1], ...timeMatch.slice(4)] as string[]);
    const event = readZonedTime(local, this.timeZone, 'Zeitpunkt', time, lineNumber);
    const currency = readCurrency(currencyText, lineNumber);
    const signedMinor = readDecimalComma(amount, currency, 'Betrag', lineNumber);
    if (signedMinor === 0n)
      throw new SettlementFileError(SettlementFileProblem.BadAmount, lineNumber, 'Betrag is zero');
    return {
      psp: this.psp,
      settlementDate: fileDay.day,
      pspReference: readReference(transactionId, 'Transaktions-ID', lineNumber),
      merchantReference: readReference(orderNumber, 'Auftragsnummer', lineNumber),
      kind: signedMinor > 0n ? 'charge' : 'refund',
      amountMinor: signedMinor > 0n ? signedMinor : -signedMinor,
      currency,
      feeMinor: undefined,
      eventAt: event.eventAt,
      late: fileDay.isLate(event.eventDay, lineNumber, dateColumn),
      lineNumber,
    };
  }

  /** Checks one SUMME line against the rows above it (rows cannot follow a trailer). */
  #checkTrailerLine(
    fields: readonly string[],
    lineNumber: number,
    totals: SettlementTotals,
    trailer: TrailerState,
  ): void {
    if (fields.length !== 4 && fields.length !== 5) {
      throw new SettlementFileError(
        SettlementFileProblem.WrongFieldCount,
        lineNumber,
        `expected 4 or 5 fields in a ${TRAILER_MARK} line, got ${fields.length}`,
      );
    }
    const [, rowCountText, sumText, feeText, currencyText] = fields as [
      string,
      string,
      string,
      string,
      string | undefined,
    ];
    const mismatch = (detail: string): SettlementFileError =>
      new SettlementFileError(SettlementFileProblem.TrailerMismatch, lineNumber, detail);
    if (trailer.withoutCurrency || (currencyText === undefined && trailer.firstLine !== undefined)) {
      throw mismatch(`a file with several ${TRAILER_MARK} lines names the currency on each`);
    }
    trailer.firstLine ??= lineNumber;
    if (!ROW_COUNT_PATTERN.test(rowCountText)) {
      throw new SettlementFileError(
        SettlementFileProblem.BadAmount,
        lineNumber,
        `row count ${quoteField(rowCountText)} is not a number`,
      );
    }
    const currencies = totals.currencies();
    if (currencyText === undefined) {
      trailer.withoutCurrency = true;
      if (currencies.length > 1)
        throw mismatch(
          `the file holds ${currencies.join(', ')}: each needs a ${TRAILER_MARK} line naming it`,
        );
    }
    const currency = currencyText === undefined ? currencies[0] : readCurrency(currencyText, lineNumber);
    if (currency === undefined) {
      // No rows and no currency: nothing to state but zeros.
      if (Number(rowCountText) !== 0 || !ZERO_PATTERN.test(sumText) || !ZERO_PATTERN.test(feeText)) {
        throw mismatch('the file has no rows, yet its trailer states some');
      }
      return;
    }
    if (trailer.currencies.has(currency)) throw mismatch(`a second ${TRAILER_MARK} line for ${currency}`);
    trailer.currencies.add(currency);
    const stated = totals.totalsOf(currency);
    const sum = readDecimalComma(sumText, currency, 'the trailer sum', lineNumber);
    const fee = readDecimalComma(feeText, currency, 'the trailer fee', lineNumber);
    if (BigInt(rowCountText) !== BigInt(stated.rowCount))
      throw mismatch(`the trailer counts ${rowCountText} ${currency} rows, the file has ${stated.rowCount}`);
    const rowsSum = stated.chargedMinor - stated.refundedMinor;
    if (sum !== rowsSum)
      throw mismatch(`the trailer sum of ${currency} is ${sum} minor units, the rows add up to ${rowsSum}`);
    if (fee < 0n)
      throw new SettlementFileError(
        SettlementFileProblem.BadAmount,
        lineNumber,
        'the trailer fee is negative',
      );
    totals.setFileFee(currency, fee);
  }
}

function dayParts(match: RegExpExecArray | null): string[] | undefined {
  return match === null ? undefined : [match[3], match[2], match[1]].map(String);
}

/** `-100,00` EUR → -10000n: at most the currency's decimals (more would be money rounded away). */
function readDecimalComma(text: string, currency: CurrencyCode, name: string, lineNumber: number): bigint {
  const badAmount = (detail: string): SettlementFileError =>
    new SettlementFileError(
      SettlementFileProblem.BadAmount,
      lineNumber,
      `${name} ${quoteField(text)} ${detail}`,
    );
  const match = DECIMAL_COMMA_PATTERN.exec(text);
  if (match === null) throw badAmount('is not an amount with a decimal comma');
  const [, integer = '', fraction = ''] = match;
  const { exponent } = currencyOf(currency);
  if (fraction.length > exponent)
    throw badAmount(`has ${fraction.length} decimals; ${currency} has ${exponent}`);
  try {
    return parseMajor(fraction === '' ? integer : `${integer}.${fraction}`, currency).amountMinor;
  } catch (error) {
    if (error instanceof MoneyError) throw badAmount(`is out of range: ${error.message}`);
    throw error;
  }
}
