import type { CalendarDate } from './zoned-time';

/** What every dialect's file states beside its rows. */
export interface SettlementFileContext {
  /** The settlement date, a day of the PSP's time zone. */
  readonly date: CalendarDate;
  /** The PSP's IANA time zone, in which a dialect writes local times. */
  readonly timeZone: string;
  /** When the file was produced (swiftpay's header says so). */
  readonly createdAtMs: number;
}

/** A file's context with the merchant it is for, whom a dialect's header may name (swiftpay's). */
export interface MerchantSettlementFileContext extends SettlementFileContext {
  readonly merchantId: string;
}

/** Lines end with a line feed, the last one too. */
export const LINE_END = '\n';

/**
 * One field of a delimited line, quoted only when it holds the delimiter, a quote or a line break
 * (a quote inside is doubled).
 */
export function delimitedField(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
