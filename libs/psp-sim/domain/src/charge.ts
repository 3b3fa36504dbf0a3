import type { CurrencyCode } from '@keel/money';
import type { DeclineCode } from './decline-code';
import type { PaymentMethod, PspId } from './psp';

/**
 * `ready` is swiftpay's first step (an order waiting for approval: no money moved yet); `pending`
 * waits for the issuer; `cancelled` is refunded in full.
 */
export const CHARGE_STATUSES = ['ready', 'pending', 'approved', 'declined', 'cancelled'] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];

export interface Refund {
  readonly id: string;
  readonly amountMinor: bigint;
  readonly createdAtMs: number;
}

/** What a merchant asked the PSP to charge, as the charge keeps it. */
export interface ChargeTerms {
  readonly psp: PspId;
  readonly idempotencyKey: string;
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
  readonly method: PaymentMethod;
  readonly issuer: string | undefined;
  readonly instrumentToken: string;
  /** The merchant's own reference, echoed back (acme). */
  readonly reference: string | undefined;
  /**
   * What a repeat of the idempotency key must match to be a replay rather than a conflict; each
   * dialect decides which request fields it holds.
   */
  readonly fingerprint: string;
}

/** One charge as the PSP holds it: the ground truth the admin API reports. */
export interface Charge extends ChargeTerms {
  readonly id: string;
  readonly createdAtMs: number;
  readonly status: ChargeStatus;
  readonly declineCode: DeclineCode | undefined;
  /** The issuer's own words for the decline (a fault's); the code's usual message when undefined. */
  readonly declineMessage: string | undefined;
  /** When the final outcome (approved or declined) was decided. */
  readonly settledAtMs: number | undefined;
  readonly refundedAmountMinor: bigint;
  /** The PSP's fee, recorded at approval for settlement files; 0 until then. */
  readonly feeMinor: bigint;
  /** Requests that reached the charge for this key: the first, replays, conflicts, approvals. */
  readonly attempts: number;
  readonly refunds: readonly Refund[];
}
