import type { FileDay } from '../parsing/file-day';
import {
  localDateTimeOf,
  quoteField,
  readCurrency,
  readDay,
  readMinorUnits,
  readReference,
  readZonedTime,
} from '../parsing/field-readers';
import { textLineChunks } from '../parsing/text-lines';
import { SettlementFileError, SettlementFileProblem } from '../settlement-file.error';
import { SettlementFileSummary, SettlementTotals } from '../settlement-file-summary';
import { DialectParser, type SettlementSource } from '../settlement-parser';
import type { SettlementKind, SettlementRow } from '../settlement-row';

const HEADER_CHARS = 43;
const DETAIL_CHARS = 141;
const TRAILER_CHARS = 62;
const DAY_PATTERN = /^(\d{4})(\d{2})(\d{2})$/;
const TIME_PATTERN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const KINDS: Readonly<Record<string, SettlementKind>> = { C: 'charge', R: 'refund' };

/** The trailer's sums, added up over the detail records (of every currency: it has one line). */
interface DetailSums {
  count: bigint;
  chargedMinor: bigint;
  refundedMinor: bigint;
  feesMinor: bigint;
}

/**
 * swiftpay: fixed-width records — a header `H`, details `D` (minor units, a fee per row, Asia/Seoul
 * local times), a trailer `T` with the count and sums — read line by line.
 */
export class SwiftpaySettlementParser extends DialectParser {
  readonly psp = 'swiftpay';
  readonly timeZone = 'Asia/Seoul';

  protected async *read(
    source: SettlementSource,
    fileDay: FileDay,
  ): AsyncGenerator<readonly SettlementRow[], SettlementFileSummary> {
    const totals = new SettlementTotals();
    const sums: DetailSums = { count: 0n, chargedMinor: 0n, refundedMinor: 0n, feesMinor: 0n };
    let lastLine = 0;
    let trailerLine: number | undefined;
    for await (const lines of textLineChunks(source, this.limits.maxLineChars)) {
      const rows: SettlementRow[] = [];
      for (const { lineNumber, text } of lines) {
        lastLine = lineNumber;
        if (trailerLine !== undefined) {
          throw new SettlementFileError(
            SettlementFileProblem.RowAfterTrailer,
            lineNumber,
            `a line after the trailer (line ${trailerLine})`,
          );
        }
        if (lineNumber === 1) {
          this.#checkHeader(text, fileDay);
        } else if (text.startsWith('D')) {
          const row = this.#detailOf(text, lineNumber, fileDay);
          totals.add(row);
          sums.count += 1n;
          if (row.kind === 'charge') sums.chargedMinor += row.amountMinor;
          else sums.refundedMinor += row.amountMinor;
          sums.feesMinor += row.feeMinor ?? 0n;
          rows.push(row);
        } else if (text.startsWith('T')) {
          this.#checkTrailer(text, lineNumber, sums);
          trailerLine = lineNumber;
        } else {
          throw new SettlementFileError(
            SettlementFileProblem.BadField,
            lineNumber,
            `record type ${quoteField(text.slice(0, 1))} is none of H, D, T`,
          );
        }
      }
      if (rows.length > 0) yield rows;
    }
    if (lastLine === 0)
      throw new SettlementFileError(SettlementFileProblem.BadHeader, 1, 'the file is empty');
    if (trailerLine === undefined) {
      throw new SettlementFileError(
        SettlementFileProblem.MissingTrailer,
        lastLine + 1,
        'no T trailer after the last detail record',
      );
    }
    return totals.summary(this.psp, fileDay.day);
  }

  #checkHeader(text: string, fileDay: FileDay): void {
    if (!text.startsWith('H') || text.length !== HEADER_CHARS) {
      throw new SettlementFileError(
        SettlementFileProblem.BadHeader,
        1,
        `expected an H record of ${HEADER_CHARS} characters`,
      );
    }
    const dateText = text.slice(1, 9);
    const day = readDay(DAY_PATTERN.exec(dateText)?.slice(1), 'the settlement date', dateText, 1);
    const createdText = text.slice(29, 43);
    const created = TIME_PATTERN.exec(createdText);
    readZonedTime(
      created === null ? undefined : localDateTimeOf(created.slice(1)),
      this.timeZone,
      'the creation time',
      createdText,
      1,
    );
    if (day !== fileDay.day) {
      throw new SettlementFileError(
        SettlementFileProblem.WrongSettlementDate,
        1,
        `the file is for ${day}, not ${fileDay.day}`,
      );
    }
  }

  #detailOf(text: string, lineNumber: number, fileDay: FileDay): SettlementRow {
    if (text.length !== DETAIL_CHARS) {
      throw new SettlementFileError(
        SettlementFileProblem.WrongFieldCount,
        lineNumber,
        `a D record has ${DETAIL_CHARS} characters, got ${text.length}`,
      );
    }
    const kind = KINDS[text.slice(1, 2)];
    if (kind === undefined) {
      throw new SettlementFileError(
        SettlementFileProblem.BadField,
        lineNumber,
        `kind ${quoteField(text.slice(1, 2))} is neither C nor R`,
      );
    }
    const timeText = text.slice(127, 141);
    const time = TIME_PATTERN.exec(timeText);
    const event = readZonedTime(
      time === null ? undefined : localDateTimeOf(time.slice(1)),
      this.timeZone,
      'the event time',
      timeText,
      lineNumber,
    );
    const feeMinor = readMinorUnits(text.slice(116, 127), 'the fee', lineNumber, false);
    if (kind === 'refund' && feeMinor !== 0n) {
      throw new SettlementFileError(SettlementFileProblem.BadAmount, lineNumber, 'a refund carries fee 0');
    }
    return {
      psp: this.psp,
      settlementDate: fileDay.day,
      pspReference: readReference(text.slice(2, 34).trimEnd(), 'the order token', lineNumber),
      merchantReference: readReference(text.slice(34, 98).trimEnd(), 'the partner order id', lineNumber),
      kind,
      amountMinor: readMinorUnits(text.slice(98, 113), 'the amount', lineNumber, true),
      currency: readCurrency(text.slice(113, 116), lineNumber),
      feeMinor,
      eventAt: event.eventAt,
      late: fileDay.isLate(event.eventDay, lineNumber),
      lineNumber,
    };
  }

  #checkTrailer(text: string, lineNumber: number, sums: DetailSums): void {
    if (text.length !== TRAILER_CHARS) {
      throw new SettlementFileError(
        SettlementFileProblem.WrongFieldCount,
        lineNumber,
        `a T record has ${TRAILER_CHARS} characters, got ${text.length}`,
      );
    }
    const stated: DetailSums = {
      count: readMinorUnits(text.slice(1, 11), 'the record count', lineNumber, false),
      chargedMinor: readMinorUnits(text.slice(11, 29), 'the sum of charges', lineNumber, false),
      refundedMinor: readMinorUnits(text.slice(29, 47), 'the sum of refunds', lineNumber, false),
      feesMinor: readMinorUnits(text.slice(47, 62), 'the sum of fees', lineNumber, false),
    };
    for (const key of ['count', 'chargedMinor', 'refundedMinor', 'feesMinor'] as const) {
      if (stated[key] !== sums[key]) {
        throw new SettlementFileError(
          SettlementFileProblem.TrailerMismatch,
          lineNumber,
          `the trailer's ${TRAILER_FIELD_NAMES[key]} is ${stated[key]}, the detail records add up to ${sums[key]}`,
        );
      }
    }
  }
}

const TRAILER_FIELD_NAMES: Readonly<Record<keyof DetailSums, string>> = {
  count: 'record count',
  chargedMinor: 'sum of charges',
  refundedMinor: 'sum of refunds',
  feesMinor: 'sum of fees',
};
