import { DomainError } from '@keel/observability';

/** Machine-readable problem codes of the payment API: `https://keel.dev/problems/<code>`. */
export enum PaymentProblemCode {
  MerchantUnauthenticated = 'merchant_unauthenticated',
  IdempotencyKeyMissing = 'idempotency_key_missing',
  IdempotencyKeyInvalid = 'idempotency_key_invalid',
  IdempotencyKeyReused = 'idempotency_key_reused',
  IdempotencyKeyInFlight = 'idempotency_key_in_flight',
  CheckoutAlreadyExists = 'checkout_already_exists',
  InvalidPayment = 'invalid_payment',
  PaymentNotFound = 'payment_not_found',
  InvalidCursor = 'invalid_cursor',
  MethodUnavailable = 'method_unavailable',
  Overloaded = 'overloaded',
  RateLimited = 'rate_limited',
}

interface ProblemSpec {
  readonly status: number;
  readonly title: string;
  /** When a client sees it; rendered into the OpenAPI description. */
  readonly when: string;
}

export const PAYMENT_PROBLEMS: Readonly<Record<PaymentProblemCode, ProblemSpec>> = {
  [PaymentProblemCode.MerchantUnauthenticated]: {
    status: 401,
    title: 'Merchant not identified',
    when: 'Keel-Merchant-Id is missing or not an identifier.',
  },
  [PaymentProblemCode.IdempotencyKeyMissing]: {
    status: 400,
    title: 'Idempotency-Key missing',
    when: 'A POST that creates a payment came without an Idempotency-Key header.',
  },
  [PaymentProblemCode.IdempotencyKeyInvalid]: {
    status: 400,
    title: 'Idempotency-Key invalid',
    when: 'The Idempotency-Key is not 1 to 255 printable ASCII characters.',
  },
  [PaymentProblemCode.IdempotencyKeyReused]: {
    status: 422,
    title: 'Idempotency-Key reused with another request',
    when: 'The key was already used by this merchant with a different body.',
  },
  [PaymentProblemCode.IdempotencyKeyInFlight]: {
    status: 409,
    title: 'Request with this Idempotency-Key in progress',
    when: 'The first request with this key is still running; retry after Retry-After seconds.',
  },
  [PaymentProblemCode.CheckoutAlreadyExists]: {
    status: 409,
    title: 'Checkout already has a payment',
    when: 'This merchant already has a payment for the checkoutId (under another Idempotency-Key).',
  },
  [PaymentProblemCode.InvalidPayment]: {
    status: 422,
    title: 'Payment refused at intake',
    when: 'The payment breaks an intake rule the schema cannot express.',
  },
  [PaymentProblemCode.PaymentNotFound]: {
    status: 404,
    title: 'Payment not found',
    when: 'No payment with this id belongs to the merchant.',
  },
  [PaymentProblemCode.InvalidCursor]: {
    status: 400,
    title: 'Invalid cursor',
    when: 'The pagination cursor was not issued by this API.',
  },
  [PaymentProblemCode.MethodUnavailable]: {
    status: 503,
    title: 'Payment method temporarily unavailable',
    when: 'No payment service provider can take this payment method right now; retry after Retry-After seconds or use another method.',
  },
  [PaymentProblemCode.Overloaded]: {
    status: 503,
    title: 'Payment intake overloaded',
    when: 'Too many payments are waiting for their charge, or too many are being created at once; nothing was stored. Retry after Retry-After seconds with the same Idempotency-Key.',
  },
  [PaymentProblemCode.RateLimited]: {
    status: 429,
    title: 'Too many payments from this merchant',
    when: "The merchant's create rate is over its limit; nothing was stored. Retry after Retry-After seconds with the same Idempotency-Key.",
  },
};

/** Every business problem of the payment API, answered as RFC 9457 problem+json. */
export class PaymentProblem extends DomainError {
  override readonly code: PaymentProblemCode;

  constructor(
    code: PaymentProblemCode,
    detail?: string,
    extensions?: Readonly<Record<string, unknown>>,
    /** Seconds the client should wait before retrying; the shared filter sends it as Retry-After. */
    retryAfterS?: number,
  ) {
    const spec = PAYMENT_PROBLEMS[code];
    super({ code, status: spec.status, title: spec.title, detail, extensions, retryAfterS });
    this.code = code;
  }
}
