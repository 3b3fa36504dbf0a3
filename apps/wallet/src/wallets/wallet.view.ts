import type { MoneyJson } from '@keel/money';

/** A seller's balance in one currency. */
export interface WalletBalanceView {
  readonly currency: string;
  readonly balance: MoneyJson;
  /** Counts the changes of this balance; a number, as it stays far below 2^53. */
  readonly version: number;
  readonly updatedAt: string;
}

/** One line of the seller's wallet history. */
export interface WalletEntryView {
  /** Entry ids are 64-bit, so they travel as decimal strings. */
  readonly id: string;
  readonly kind: string;
  /** The change of the balance: for a payment order credit, the net amount (gross − fee). */
  readonly amount: MoneyJson;
  readonly grossAmount: MoneyJson;
  /** The platform fee, as the payment service decided it for the order. */
  readonly feeAmount: MoneyJson;
  readonly paymentOrderId: string;
  readonly paymentId: string;
  readonly paymentMethodType: string;
  readonly balanceAfter: MoneyJson;
  readonly createdAt: string;
}

/** The answer of `GET /v1/merchants/{merchantId}/wallets/{sellerId}`. */
export interface WalletView {
  /** `unknown` for a wallet opened before wallets were scoped to merchants. */
  readonly merchantId: string;
  readonly sellerId: string;
  readonly balances: readonly WalletBalanceView[];
  /** Newest first; the next page is `?cursor=<nextCursor>`, and `nextCursor` is null on the last page. */
  readonly entries: readonly WalletEntryView[];
  readonly nextCursor: string | null;
}
