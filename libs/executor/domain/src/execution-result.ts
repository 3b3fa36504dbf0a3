import type { ChargeAmount } from './capture-check';

/** Who reported an outcome: the charge's own answer, a status inquiry, or the PSP's webhook. */
export type OutcomeSource = 'charge' | 'inquiry' | 'webhook';

/**
 * What came back from a charge, as the executor's rules need to see it. The app translates the
 * connectors' outcomes and typed errors into this, so the rules stay free of HTTP.
 */
export type ChargeResult =
  /** `captured` is what the PSP says it took, checked against the order before the order takes it. */
  | { readonly kind: 'succeeded'; readonly pspReference: string; readonly captured: ChargeAmount }
  | {
      readonly kind: 'declined';
      readonly code: string;
      readonly message: string;
      readonly pspReference?: string;
    }
  | { readonly kind: 'pending'; readonly pspReference: string }
  /** The charge existed and was cancelled at the PSP: no money is held. */
  | { readonly kind: 'cancelled'; readonly pspReference: string }
  /** Certainly not charged: refused before processing (connection refused, 503, 429). */
  | { readonly kind: 'unavailable'; readonly message: string; readonly retryAfterMs?: number }
  /** The request may have been processed: timeout or connection lost after sending, other 5xx. */
  | { readonly kind: 'unknown_outcome'; readonly message: string }
  /** The PSP refused a request we got wrong (credentials, invalid body); nothing was charged. */
  | { readonly kind: 'rejected'; readonly message: string };

/** What a status inquiry by idempotency key came back with. */
export type InquiryResult = ChargeResult | { readonly kind: 'not_found' };
