import { Money, type CurrencyCode } from '@keel/money';

/**
 * One currency's accounts summed the trial-balance way: each account's balance goes to the
 * debit column when its debits exceed its credits, else to the credit column.
 */
export interface CurrencyBalanceTotals {
  readonly currency: CurrencyCode;
  /** Sum of the balances of accounts with a debit balance (a positive signed balance). */
  readonly debitBalancesMinor: bigint;
  /** Sum, as a positive number, of the balances of accounts with a credit balance. */
  readonly creditBalancesMinor: bigint;
}

export interface TrialBalanceLine {
  readonly currency: CurrencyCode;
  readonly totalDebits: Money;
  readonly totalCredits: Money;
  /** True iff the totals are equal, which every balanced journal guarantees. */
  readonly balanced: boolean;
}

export interface TrialBalance {
  readonly lines: readonly TrialBalanceLine[];
  /** True iff every currency balances; an empty ledger balances. */
  readonly balanced: boolean;
}

/** The trial balance from per-currency totals, in currency order. */
export function trialBalanceOf(totals: readonly CurrencyBalanceTotals[]): TrialBalance {
  const lines = [...totals]
    .sort((left, right) => left.currency.localeCompare(right.currency))
    .map((line) => ({
      currency: line.currency,
      totalDebits: Money.of(line.debitBalancesMinor, line.currency),
      totalCredits: Money.of(line.creditBalancesMinor, line.currency),
      balanced: line.debitBalancesMinor === line.creditBalancesMinor,
    }));
  return { lines, balanced: lines.every((line) => line.balanced) };
}
