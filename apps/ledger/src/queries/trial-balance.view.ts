import type { AccountKind, PostingDirection } from '@keel/ledger-domain';
import type { MoneyJson } from '@keel/money';

export interface TrialBalanceCurrencyView {
  readonly currency: string;
  /** Sum of the balances of accounts whose debits exceed their credits. */
  readonly totalDebits: MoneyJson;
  /** Sum of the balances of accounts whose credits exceed their debits. */
  readonly totalCredits: MoneyJson;
  readonly balanced: boolean;
}

/** An account in the trial balance: its balance in the debit or the credit column. */
export interface TrialBalanceAccountView {
  readonly id: string;
  readonly kind: AccountKind;
  readonly owner: string | null;
  /** The merchant of a seller payable; null for every other kind. */
  readonly merchantId: string | null;
  readonly currency: string;
  readonly normalSide: PostingDirection;
  readonly debitBalance: MoneyJson;
  readonly creditBalance: MoneyJson;
}

export interface TrialBalanceView {
  /** True iff every currency balances. */
  readonly balanced: boolean;
  readonly currencies: readonly TrialBalanceCurrencyView[];
  /** In currency then id order, at most LEDGER_TRIAL_BALANCE_ACCOUNTS_MAX of them. */
  readonly accounts: readonly TrialBalanceAccountView[];
  /** True when there are more accounts than listed; the totals always cover all of them. */
  readonly accountsTruncated: boolean;
}

export interface BalanceMismatchView {
  readonly accountId: string;
  /** The running balance, debits minus credits. */
  readonly balanceMinor: string;
  /** The sum of the account's postings, debits minus credits. */
  readonly postingsSumMinor: string;
  readonly version: number;
  readonly transactionCount: number;
}

/** Running balances compared with their postings: the reconciliation of the ledger with itself. */
export interface BalanceCheckView {
  readonly consistent: boolean;
  readonly accountsChecked: number;
  readonly mismatchCount: number;
  readonly mismatches: readonly BalanceMismatchView[];
}
