import type { PspId } from '../psp';
import { acmeSettlementLines } from './acme-settlement-writer';
import { novaSettlementLines } from './nova-settlement-writer';
import type { MerchantSettlementFileContext } from './settlement-file';
import type { SettlementRow } from './settlement-row';
import { SWIFTPAY_PARTNER_ORDER_ID_MAX_LENGTH, swiftpaySettlementLines } from './swiftpay-settlement-writer';
import type { CalendarDate } from './zoned-time';

/** How a settlement file is written: its name and type, and its lines (docs/settlement-files.md). */
export interface SettlementDialect {
  /** `<psp>_settlement_<date>.<extension>`, the date as the dialect writes it. */
  fileName(psp: PspId, date: CalendarDate): string;
  readonly contentType: string;
  /** The longest merchant reference a row can hold (a fixed-width field); undefined when any fits. */
  readonly merchantReferenceMaxLength: number | undefined;
  lines(rows: Iterable<SettlementRow>, file: MerchantSettlementFileContext): Iterable<string>;
}

const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
const TEXT_CONTENT_TYPE = 'text/plain; charset=utf-8';

const compact = (date: CalendarDate) => date.replaceAll('-', '');

/** acme's: CSV, comma-separated, minor units, times in UTC. */
export const ACME_CSV_DIALECT: SettlementDialect = {
  fileName: (psp, date) => `${psp}_settlement_${date}.csv`,
  contentType: CSV_CONTENT_TYPE,
  merchantReferenceMaxLength: undefined,
  lines: acmeSettlementLines,
};

/** nova's: CSV, semicolon-separated, major units with a decimal comma, a trailer of sums and fees. */
export const NOVA_CSV_DIALECT: SettlementDialect = {
  fileName: (psp, date) => `${psp}_settlement_${compact(date)}.csv`,
  contentType: CSV_CONTENT_TYPE,
  merchantReferenceMaxLength: undefined,
  lines: novaSettlementLines,
};

/** swiftpay's: fixed-width header, detail and trailer records, minor units. */
export const SWIFTPAY_FIXED_WIDTH_DIALECT: SettlementDialect = {
  fileName: (psp, date) => `${psp}_settlement_${compact(date)}.txt`,
  contentType: TEXT_CONTENT_TYPE,
  merchantReferenceMaxLength: SWIFTPAY_PARTNER_ORDER_ID_MAX_LENGTH,
  lines: swiftpaySettlementLines,
};
