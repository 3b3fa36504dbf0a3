import type { PaymentMethodType } from '@keel/contracts';
import type { CapturedAmount } from './captured-amount';
import type { KeelDeclineCode } from './decline-code';

/** One charge, as every connector receives it; each connector writes it in its PSP's dialect. */
export interface ChargeRequest {
  /** Sent as the PSP's idempotency key: Keel uses the payment order id. */
  readonly idempotencyKey: string;
  readonly amountMinor: bigint;
  /** ISO 4217. */
  readonly currency: string;
  readonly method: { readonly type: PaymentMethodType; readonly provider?: string };
  /** The PSP's token for the buyer's card or account; never a card number. */
  readonly instrumentToken?: string;
}

export interface RefundRequest {
  readonly idempotencyKey: string;
  /** The PSP's id of the charge to refund. */
  readonly pspReference: string;
  readonly amountMinor: bigint;
  readonly currency: string;
}

/** Where a charge stands at the PSP, in Keel's words. */
export type PspOutcome =
  /** `captured` is what the PSP says it took, which the executor checks against the order. */
  | { readonly kind: 'succeeded'; readonly pspReference: string; readonly captured: CapturedAmount }
  | {
      readonly kind: 'declined';
      readonly code: KeelDeclineCode;
      readonly message: string;
      /** The PSP's own decline code, kept for support and detection. */
      readonly pspCode: string;
      readonly pspReference?: string;
    }
  | { readonly kind: 'pending'; readonly pspReference: string }
  /** The charge was cancelled (refunded in full) at the PSP: no money is held. */
  | { readonly kind: 'cancelled'; readonly pspReference: string };

export type InquiryOutcome = PspOutcome | { readonly kind: 'not_found' };

export interface RefundOutcome {
  readonly kind: 'succeeded';
  /** The PSP's id of the refund (or cancellation). */
  readonly refundReference: string;
  readonly amountMinor: bigint;
}

/** A PSP notification whose signature and age were verified. */
export interface PspWebhookEvent {
  readonly pspId: string;
  /** Unique per event at that PSP: record it under a unique key to drop redeliveries. */
  readonly eventId: string;
  /** Keel's idempotency key of the charge, i.e. the payment order id. */
  readonly idempotencyKey: string;
  readonly pspReference: string;
  /** A charge reached an outcome, or (part of) it was refunded or cancelled. */
  readonly change: { readonly kind: 'charge'; readonly outcome: PspOutcome } | { readonly kind: 'refunded' };
}

export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The one interface every PSP adapter implements. Failures are typed (see psp.error.ts) so that the
 * caller can tell "certainly not charged" from "may have been charged":
 * - PspUnavailableError: refused before processing; charging again with the same key is safe;
 * - PspUnknownOutcomeError (and PspProtocolError): may have been processed; resolve by inquiry;
 * - PspRejectedRequestError: the PSP refused our request as invalid; retrying cannot help.
 */
export interface PspConnector {
  readonly pspId: string;
  charge(request: ChargeRequest, signal?: AbortSignal): Promise<PspOutcome>;
  /** The charge made with this idempotency key, or not_found when the PSP holds none. */
  inquire(idempotencyKey: string, signal?: AbortSignal): Promise<InquiryOutcome>;
  refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundOutcome>;
  /** Verifies the signature and age of a notification, then reads it; throws PspWebhookError. */
  parseWebhook(headers: WebhookHeaders, rawBody: Buffer, nowMs: number): PspWebhookEvent;
  /** Closes its pooled connections once the calls in flight are done. */
  close(): Promise<void>;
}
