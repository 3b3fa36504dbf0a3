/** Why the payment aggregate refused a command or an event. */
export enum PaymentErrorCode {
  /** The payment's lines break a rule of intake (no orders, a seller twice, an amount out of range). */
  InvalidPayment = 'invalid_payment',
  /** A payment with this id already has events. */
  PaymentAlreadyExists = 'payment_already_exists',
  /** A command or event names a payment that has no events. */
  PaymentNotFound = 'payment_not_found',
  /** A command or event names an order the payment does not hold. */
  PaymentOrderNotFound = 'payment_order_not_found',
  /** The status machine does not allow this step from the current status. */
  IllegalTransition = 'illegal_transition',
  /** A second outcome or confirmation contradicts one already recorded. */
  ConflictingOutcome = 'conflicting_outcome',
  /** A confirmation names another seller, amount or currency than the order it confirms. */
  ConfirmationMismatch = 'confirmation_mismatch',
}

/** The one error type of the payment domain: `code` says why, `message` says it to a human. */
export class PaymentError extends Error {
  override readonly name = 'PaymentError';

  constructor(
    readonly code: PaymentErrorCode,
    message: string,
  ) {
    super(message);
  }
}
