/** Money as integer minor units of an ISO 4217 currency: what an order is for, or what a PSP captured. */
export interface ChargeAmount {
  readonly amountMinor: bigint;
  readonly currency: string;
}

/** Whether what a PSP captured is what the order is for. */
export type CaptureCheck =
  { readonly kind: 'matches' } | { readonly kind: 'amount_mismatch'; readonly message: string };

/**
 * A success is the order's only when the PSP captured exactly the order's amount in the order's
 * currency. More, less or another currency is money the buyer was not asked for: never applied,
 * whoever reported it (a charge answer, an inquiry or a webhook).
 */
export function checkCapture(order: ChargeAmount, captured: ChargeAmount): CaptureCheck {
  if (captured.amountMinor === order.amountMinor && captured.currency === order.currency) {
    return { kind: 'matches' };
  }
  return {
    kind: 'amount_mismatch',
    message:
      `the PSP captured ${captured.amountMinor} ${captured.currency}; ` +
      `the order is for ${order.amountMinor} ${order.currency}`,
  };
}
