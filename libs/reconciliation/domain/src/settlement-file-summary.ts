import type { CurrencyCode } from '@keel/money';
import type { SettlementPsp } from './settlement-psp';
import type { SettlementRow } from './settlement-row';

/** What a file's rows of one currency add up to. */
export interface CurrencyTotals {
  readonly rowCount: number;
  readonly chargeCount: number;
  readonly refundCount: number;
  readonly chargedMinor: bigint;
  readonly refundedMinor: bigint;
  /** The rows' fees; undefined for a dialect without per-row fees. */
  readonly rowFeesMinor: bigint | undefined;
  /** The fee the file's trailer states for the whole file (nova); undefined for the others. */
  readonly fileFeeMinor: bigint | undefined;
}

/** A whole file, known once its last row is read and its trailer checked. */
export interface SettlementFileSummary {
  readonly psp: SettlementPsp;
  readonly settlementDate: string;
  readonly rowCount: number;
  readonly lateRowCount: number;
  readonly totalsByCurrency: ReadonlyMap<CurrencyCode, CurrencyTotals>;
}

interface MutableTotals {
  rowCount: number;
  chargeCount: number;
  refundCount: number;
  chargedMinor: bigint;
  refundedMinor: bigint;
  rowFeesMinor: bigint | undefined;
  fileFeeMinor: bigint | undefined;
}

/** Adds rows up as they stream past: constant memory per currency, not per row. */
export class SettlementTotals {
  #rowCount = 0;
  #lateRowCount = 0;
  readonly #byCurrency = new Map<CurrencyCode, MutableTotals>();

  add(row: SettlementRow): void {
    this.#rowCount += 1;
    if (row.late) this.#lateRowCount += 1;
    const totals = this.#totalsOf(row.currency);
    totals.rowCount += 1;
    if (row.kind === 'charge') {
      totals.chargeCount += 1;
      totals.chargedMinor += row.amountMinor;
    } else {
      totals.refundCount += 1;
      totals.refundedMinor += row.amountMinor;
    }
    if (row.feeMinor !== undefined) totals.rowFeesMinor = (totals.rowFeesMinor ?? 0n) + row.feeMinor;
  }

  get rowCount(): number {
    return this.#rowCount;
  }

  currencies(): CurrencyCode[] {
    return [...this.#byCurrency.keys()];
  }

  totalsOf(currency: CurrencyCode): CurrencyTotals {
    return { ...this.#totalsOf(currency) };
  }

  setFileFee(currency: CurrencyCode, feeMinor: bigint): void {
    this.#totalsOf(currency).fileFeeMinor = feeMinor;
  }

  summary(psp: SettlementPsp, settlementDate: string): SettlementFileSummary {
    const totalsByCurrency = new Map<CurrencyCode, CurrencyTotals>(
      [...this.#byCurrency].map(([currency, totals]) => [currency, Object.freeze({ ...totals })]),
    );
    return Object.freeze({
      psp,
      settlementDate,
      rowCount: this.#rowCount,
      lateRowCount: this.#lateRowCount,
      totalsByCurrency,
    });
  }

  #totalsOf(currency: CurrencyCode): MutableTotals {
    let totals = this.#byCurrency.get(currency);
    if (totals === undefined) {
      totals = {
        rowCount: 0,
        chargeCount: 0,
        refundCount: 0,
        chargedMinor: 0n,
        refundedMinor: 0n,
        rowFeesMinor: undefined,
        fileFeeMinor: undefined,
      };
      this.#byCurrency.set(currency, totals);
    }
    return totals;
  }
}
