import type { CurrencyCode } from '@keel/money';

/** Where Keel's records leave a payment order at a PSP. */
export const KEEL_ORDER_STATUSES = ['succeeded', 'failed', 'declined', 'unknown'] as const;
export type KeelOrderStatus = (typeof KEEL_ORDER_STATUSES)[number];

/**
 * Keel's side of one payment order, as reconciliation compares it with one PSP's file for one day
 * (the file's day, in the PSP's zone). The service builds it from the executor's, ledger's and
 * wallet's events.
 */
export interface KeelOrderView {
  /** The payment order id, which the PSP's rows carry as the merchant reference. */
  readonly merchantReference: string;
  readonly pspReference: string | undefined;
  readonly status: KeelOrderStatus;
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
  /** The day (PSP's zone) Keel recorded the charge's success; undefined unless it succeeded. */
  readonly chargedOn: string | undefined;
  /** What Keel refunded of the order on the file's day (PSP's zone) — orphan refunds included. */
  readonly refundedMinor: bigint;
  /** The fee the PSP's contract allows on the charge (`contractFeeMinor`). */
  readonly expectedFeeMinor: bigint;
}
