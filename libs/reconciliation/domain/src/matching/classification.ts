import type { CurrencyCode } from '@keel/money';
import type { SettlementRow } from '../settlement-row';
import type { KeelOrderView } from './keel-order-view';

/** What reconciliation concludes about one payment order for one PSP and day. */
export const RECONCILIATION_CLASSES = [
  'matched',
  'missing_in_keel',
  'missing_at_psp',
  'amount_mismatch',
  'status_mismatch',
  'fee_mismatch',
  'duplicate',
  'timing',
] as const;
export type ReconciliationClass = (typeof RECONCILIATION_CLASSES)[number];

/** Classes that need no one's attention: every other class is a discrepancy. */
const AGREEING_CLASSES: ReadonlySet<ReconciliationClass> = new Set(['matched', 'timing']);

export function isDiscrepancyClass(reconciliationClass: ReconciliationClass): boolean {
  return !AGREEING_CLASSES.has(reconciliationClass);
}

/** Money in one currency. */
export interface AmountAtRisk {
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
}

/** One order's verdict, with both sides' data for whoever looks at it. */
export interface ClassifiedOrder {
  readonly class: ReconciliationClass;
  readonly merchantReference: string;
  readonly pspReference: string | undefined;
  readonly keel: KeelOrderView | undefined;
  readonly rows: readonly SettlementRow[];
  /** What the difference puts in doubt (see `classifyOrder`); zero for `matched` and `timing`. */
  readonly moneyAtRisk: AmountAtRisk;
  /** The difference in words, for a person. */
  readonly reason: string;
}
