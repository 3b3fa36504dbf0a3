import type { PostingDirection } from '@keel/ledger-domain';
import type { MoneyJson } from '@keel/money';

export interface TransactionPostingView {
  readonly postingId: string;
  readonly accountId: string;
  readonly direction: PostingDirection;
  readonly amount: MoneyJson;
}

export interface TransactionView {
  readonly id: string;
  readonly kind: string;
  /** The payment order id for a charge; the reversed transaction's id for a reversal. */
  readonly reference: string;
  readonly paymentId: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly postings: readonly TransactionPostingView[];
}

export interface TransactionList {
  readonly data: readonly TransactionView[];
}
