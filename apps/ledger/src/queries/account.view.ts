import type { AccountKind, AccountType, PostingDirection } from '@keel/ledger-domain';
import type { MoneyJson } from '@keel/money';

export interface AccountView {
  readonly id: string;
  readonly kind: AccountKind;
  readonly type: AccountType;
  /** The PSP id or seller id; null for platform accounts such as fee revenue. */
  readonly owner: string | null;
  /**
   * The merchant whose seller owns a seller payable (`unknown` for one opened before seller
   * payables were scoped to merchants); null for every other kind.
   */
  readonly merchantId: string | null;
  readonly currency: string;
  /** The side on which the balance grows: debit for assets, credit for liabilities and revenue. */
  readonly normalSide: PostingDirection;
  /** Read on the normal side: what the PSP owes us, what we owe the seller, what we earned. */
  readonly balance: MoneyJson;
  /** Counts the transactions that moved the balance. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface AccountPage {
  readonly data: readonly AccountView[];
  readonly nextCursor: string | null;
}

/** One posting on an account, with the transaction it belongs to. */
export interface AccountPostingView {
  readonly postingId: string;
  readonly transactionId: string;
  readonly transactionKind: string;
  readonly reference: string;
  readonly paymentId: string;
  readonly direction: PostingDirection;
  readonly amount: MoneyJson;
  readonly recordedAt: string;
}

/** Newest first. */
export interface AccountPostingPage {
  readonly accountId: string;
  readonly data: readonly AccountPostingView[];
  readonly nextCursor: string | null;
}
