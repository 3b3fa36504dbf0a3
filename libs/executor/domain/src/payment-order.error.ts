export enum PaymentOrderErrorCode {
  IllegalTransition = 'payment_order_illegal_transition',
  InvalidPolicy = 'payment_order_invalid_policy',
}

/** A rule of the payment order's life was broken; always a bug or a corrupted row, never input. */
export class PaymentOrderError extends Error {
  override readonly name = 'PaymentOrderError';

  constructor(
    readonly code: PaymentOrderErrorCode,
    message: string,
  ) {
    super(message);
  }
}
