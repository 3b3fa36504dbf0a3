import type { CurrencyCode } from '@keel/money';
import {
  ClassifiedOrder,
  isDiscrepancyClass,
  RECONCILIATION_CLASSES,
  ReconciliationClass,
} from './classification';
import type { FileFeeDifference } from './fee-contract';

/**
 * A run's counts per class and money at risk per currency, added up as verdicts stream past.
 * Money at risk per currency is the sum of every verdict's `moneyAtRisk` (see `classifyOrder` for
 * each class's definition) plus each file-fee difference; classes never overlap, since each order
 * gets one verdict, so the sum counts no money twice.
 */
export class ReconciliationTally {
  readonly #counts = Object.fromEntries(RECONCILIATION_CLASSES.map((name) => [name, 0])) as Record<
    ReconciliationClass,
    number
  >;
  readonly #atRisk = new Map<ReconciliationClass, Map<CurrencyCode, bigint>>();

  add(order: ClassifiedOrder): void {
    this.#counts[order.class] += 1;
    this.#addAtRisk(order.class, order.moneyAtRisk.currency, order.moneyAtRisk.amountMinor);
  }

  /** A per-file fee (nova) that differs from the contract counts as one `fee_mismatch`. */
  addFileFeeDifference(difference: FileFeeDifference): void {
    this.#counts.fee_mismatch += 1;
    const amount = difference.differenceMinor < 0n ? -difference.differenceMinor : difference.differenceMinor;
    this.#addAtRisk('fee_mismatch', difference.currency, amount);
  }

  get counts(): Readonly<Record<ReconciliationClass, number>> {
    return { ...this.#counts };
  }

  get discrepancyCount(): number {
    return RECONCILIATION_CLASSES.filter(isDiscrepancyClass).reduce(
      (sum, name) => sum + this.#counts[name],
      0,
    );
  }

  /** Per currency, over every class; a currency appears only with money at risk. */
  moneyAtRisk(): ReadonlyMap<CurrencyCode, bigint> {
    const total = new Map<CurrencyCode, bigint>();
    for (const byCurrency of this.#atRisk.values()) {
      for (const [currency, amount] of byCurrency) total.set(currency, (total.get(currency) ?? 0n) + amount);
    }
    return total;
  }

  moneyAtRiskOf(reconciliationClass: ReconciliationClass): ReadonlyMap<CurrencyCode, bigint> {
    return new Map(this.#atRisk.get(reconciliationClass));
  }

  #addAtRisk(reconciliationClass: ReconciliationClass, currency: CurrencyCode, amountMinor: bigint): void {
    if (amountMinor === 0n) return;
    let byCurrency = this.#atRisk.get(reconciliationClass);
    if (byCurrency === undefined) {
      byCurrency = new Map();
      this.#atRisk.set(reconciliationClass, byCurrency);
    }
    byCurrency.set(currency, (byCurrency.get(currency) ?? 0n) + amountMinor);
  }
}
