import type { CurrencyCode } from '@keel/money';
import type { SettlementFileSummary } from '../settlement-file-summary';

/** A sum in one currency. */
export interface CurrencyAmount {
  readonly currency: CurrencyCode;
  readonly amountMinor: bigint;
}

/** One currency of a PSP's day: what the ledger moved on the PSP's clearing account vs what the file settled. */
export interface ClearingComparison {
  readonly currency: CurrencyCode;
  /** The ledger's clearing movements of the day, signed as the asset grows (charges +, refunds −). */
  readonly ledgerMinor: bigint;
  /** The file's charges less its refunds (late rows included: the file reports them on its day). */
  readonly settlementMinor: bigint;
  /** ledger − settlement: zero when both sides moved the same money. */
  readonly differenceMinor: bigint;
}

/**
 * The first leg of the three-way check, per currency found on either side (sorted by code): the
 * ledger's PSP clearing movements of the day against the settlement file's net. A difference is
 * what the day's discrepancies (a missing row, an amount, a refund) and timing (a row reported on
 * another day than the ledger recorded it) have to explain.
 */
export function compareClearing(
  ledger: readonly CurrencyAmount[],
  file: Pick<SettlementFileSummary, 'totalsByCurrency'>,
): ClearingComparison[] {
  const currencies = new Set<CurrencyCode>([
    ...ledger.map((amount) => amount.currency),
    ...file.totalsByCurrency.keys(),
  ]);
  return [...currencies].sort().map((currency) => {
    const ledgerMinor = ledger
      .filter((amount) => amount.currency === currency)
      .reduce((sum, amount) => sum + amount.amountMinor, 0n);
    const totals = file.totalsByCurrency.get(currency);
    const settlementMinor = totals === undefined ? 0n : totals.chargedMinor - totals.refundedMinor;
    return { currency, ledgerMinor, settlementMinor, differenceMinor: ledgerMinor - settlementMinor };
  });
}
