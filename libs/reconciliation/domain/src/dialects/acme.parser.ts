import { isCalendarDay } from '../parsing/calendar-day';
import { csvRecordChunks } from '../parsing/csv-records';
import type { FileDay } from '../parsing/file-day';
import {
  assertFieldCount,
  assertHeader,
  quoteField,
  readCurrency,
  readDay,
  readMinorUnits,
  readReference,
} from '../parsing/field-readers';
import { SettlementFileError, SettlementFileProblem } from '../settlement-file.error';
import { SettlementFileSummary, SettlementTotals } from '../settlement-file-summary';
import { DialectParser, type SettlementSource } from '../settlement-parser';
import type { SettlementKind, SettlementRow } from '../settlement-row';

const HEADER = [
  'settlement_date',
  'psp_reference',
  'merchant_reference',
  'type',
  'amount_minor',
  'currency',
  'fee_minor',
  'event_time',
] as const;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const EVENT_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/;
const KINDS: Readonly<Record<string, SettlementKind>> = { charge: 'charge', refund: 'refund' };

/** acme: CSV with a header, comma-separated, minor units, a fee per row, UTC; no trailer. */
export class AcmeSettlementParser extends DialectParser {
  readonly psp = 'acme';
  readonly timeZone = 'UTC';

  protected async *read(
    source: SettlementSource,
    fileDay: FileDay,
  ): AsyncGenerator<readonly SettlementRow[], SettlementFileSummary> {
    const totals = new SettlementTotals();
    let headerRead = false;
    const chunks = csvRecordChunks(source, { delimiter: ',', maxRecordChars: this.limits.maxLineChars });
    for await (const records of chunks) {
      const rows: SettlementRow[] = [];
      for (const { lineNumber, fields } of records) {
        if (!headerRead) {
          assertHeader(fields, HEADER, lineNumber);
          headerRead = true;
          continue;
        }
        const row = this.#rowOf(fields, lineNumber, fileDay);
        totals.add(row);
        rows.push(row);
      }
      if (rows.length > 0) yield rows;
    }
    if (!headerRead) throw new SettlementFileError(SettlementFileProblem.BadHeader, 1, 'the file is empty');
    return totals.summary(this.psp, fileDay.day);
  }

  #rowOf(fields: readonly string[], lineNumber: number, fileDay: FileDay): SettlementRow {
    assertFieldCount(fields, HEADER.length, lineNumber);
    const [settlementDate, pspReference, merchantReference, type, amount, currency, fee, eventTime] =
      fields as [string, string, string, string, string, string, string, string];
    const dateColumn = readDay(
      DAY_PATTERN.exec(settlementDate)?.slice(1),
      'settlement_date',
      settlementDate,
      lineNumber,
    );
    const event = this.#eventTimeOf(eventTime, lineNumber);
    const kind = KINDS[type];
    if (kind === undefined) {
      throw new SettlementFileError(
        SettlementFileProblem.BadField,
        lineNumber,
        `type ${quoteField(type)} is neither charge nor refund`,
      );
    }
    return {
      psp: this.psp,
      settlementDate: fileDay.day,
      pspReference: readReference(pspReference, 'psp_reference', lineNumber),
      merchantReference: readReference(merchantReference, 'merchant_reference', lineNumber),
      kind,
      amountMinor: readMinorUnits(amount, 'amount_minor', lineNumber, true),
      currency: readCurrency(currency, lineNumber),
      feeMinor: readMinorUnits(fee, 'fee_minor', lineNumber, false),
      eventAt: event.eventAt,
      late: fileDay.isLate(event.eventDay, lineNumber, dateColumn),
      lineNumber,
    };
  }

  #eventTimeOf(text: string, lineNumber: number): { eventAt: string; eventDay: string } {
    // Checked field by field, not parsed into a Date and formatted back (a million rows' cost):
    // a real day, hours to 23, minutes and seconds to 59 — what reads back as written.
    const [year, month, day, hours, minutes, seconds] = (EVENT_TIME_PATTERN.exec(text) ?? [])
      .slice(1)
      .map(Number);
    if (
      seconds === undefined ||
      !isCalendarDay(year ?? 0, month ?? 0, day ?? 0) ||
      !((hours ?? 24) <= 23 && (minutes ?? 60) <= 59 && seconds <= 59)
    ) {
      throw new SettlementFileError(
        SettlementFileProblem.BadDate,
        lineNumber,
        `event_time ${quoteField(text)} is not a UTC time with milliseconds`,
      );
    }
    return { eventAt: text, eventDay: text.slice(0, 10) };
  }
}
