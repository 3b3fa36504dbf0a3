import { currencyOf, type CurrencyCode } from '@keel/money';
import type { CurrencyTotals, SettlementFileSummary, SettlementPsp } from '@keel/reconciliation-domain';

/** One currency's totals of a file, amounts as decimal strings of minor units. */
export interface CurrencyTotalsView {
  readonly rowCount: number;
  readonly chargeCount: number;
  readonly refundCount: number;
  readonly chargedMinor: string;
  readonly refundedMinor: string;
  /** The rows' fees; null for a dialect that charges per file (nova). */
  readonly rowFeesMinor: string | null;
  /** The fee the file states for itself (nova's trailer); null for the others. */
  readonly fileFeeMinor: string | null;
}

/** An ingested settlement file, as stored in settlement_files. */
export interface SettlementFile {
  readonly id: string;
  readonly psp: SettlementPsp;
  readonly settlementDate: string;
  /** Hex SHA-256 of the file's bytes. */
  readonly checksum: string;
  /** Where it came from: the download request, or `upload`. */
  readonly source: string;
  readonly sizeBytes: number;
  readonly rowCount: number;
  readonly lateRowCount: number;
  readonly totals: Readonly<Record<string, CurrencyTotalsView>>;
  readonly ingestedAt: string;
}

/** A file ingested now, or one the same bytes had already made (nothing stored again). */
export interface IngestionResult {
  readonly file: SettlementFile;
  readonly alreadyIngested: boolean;
}

export function totalsViewOf(summary: SettlementFileSummary): Record<string, CurrencyTotalsView> {
  const minor = (value: bigint | undefined): string | null => (value === undefined ? null : value.toString());
  return Object.fromEntries(
    [...summary.totalsByCurrency].map(([currency, totals]) => [
      currency,
      {
        rowCount: totals.rowCount,
        chargeCount: totals.chargeCount,
        refundCount: totals.refundCount,
        chargedMinor: totals.chargedMinor.toString(),
        refundedMinor: totals.refundedMinor.toString(),
        rowFeesMinor: minor(totals.rowFeesMinor),
        fileFeeMinor: minor(totals.fileFeeMinor),
      },
    ]),
  );
}

/** A stored file's summary, read back from its totals (what the fee check and three-way check take). */
export function fileSummaryOf(file: SettlementFile): SettlementFileSummary {
  const amount = (value: string | null): bigint | undefined => (value === null ? undefined : BigInt(value));
  return {
    psp: file.psp,
    settlementDate: file.settlementDate,
    rowCount: file.rowCount,
    lateRowCount: file.lateRowCount,
    totalsByCurrency: new Map(
      Object.entries(file.totals).map(([currency, totals]): [CurrencyCode, CurrencyTotals] => [
        currencyOf(currency).code,
        {
          rowCount: totals.rowCount,
          chargeCount: totals.chargeCount,
          refundCount: totals.refundCount,
          chargedMinor: BigInt(totals.chargedMinor),
          refundedMinor: BigInt(totals.refundedMinor),
          rowFeesMinor: amount(totals.rowFeesMinor),
          fileFeeMinor: amount(totals.fileFeeMinor),
        },
      ]),
    ),
  };
}
