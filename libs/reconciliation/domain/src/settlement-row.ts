import type { CurrencyCode } from '@keel/money';
import type { SettlementPsp } from './settlement-psp';

/** `charge`: an approved, captured charge; `refund`: a refund of a charge, whole or part. */
export const SETTLEMENT_KINDS = ['charge', 'refund'] as const;
export type SettlementKind = (typeof SETTLEMENT_KINDS)[number];

/** One money movement of a settlement file, in every dialect's common form. */
export interface SettlementRow {
  readonly psp: SettlementPsp;
  /** The file's day, `YYYY-MM-DD`, in the PSP's time zone. */
  readonly settlementDate: string;
  readonly pspReference: string;
  /** Keel's payment order id. */
  readonly merchantReference: string;
  readonly kind: SettlementKind;
  /** Positive; `kind` says the direction. */
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
  /** The PSP's fee on this row; undefined for a dialect that charges fees per file (nova). */
  readonly feeMinor: bigint | undefined;
  /** The event's instant in UTC, ISO 8601 with milliseconds. */
  readonly eventAt: string;
  /** The event happened the day before the file's day: a row reported a day late. */
  readonly late: boolean;
  /** The file line the row ends on (1-based; the header is line 1 where there is one). */
  readonly lineNumber: number;
}
