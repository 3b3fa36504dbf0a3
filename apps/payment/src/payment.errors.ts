import { DomainError } from '@keel/observability';

/** Machine-readable problem codes of the payment API: `https://keel.dev/problems/<code>`. */
export enum PaymentProblemCode {
  ApiKeyInvalid = 'api_key_invalid',
  LiveModeUnavailable = 'live_mode_unavailable',
  IdempotencyKeyMissing = 'idempotency_key_missing',
  IdempotencyKeyInvalid = 'idempotency_key_invalid',
  IdempotencyKeyReused = 'idempotency_key_reused',
  IdempotencyKeyInFlight = 'idempotency_key_in_flight',
  CheckoutAlreadyExists = 'checkout_already_exists',
  InvalidPayment = 'invalid_payment',
  PaymentNotFound = 'payment_not_found',
  InvalidCursor = 'invalid_cursor',
  MethodUnavailable = 'method_unavailable',
  MethodSwitchedOff = 'method_switched_off',
  Overloaded = 'overloaded',
  RateLimited = 'rate_limited',
}

interface ProblemSpec {
  readonly status: number;
  readonly title: string;
}

/**
 * The status and title each problem is answered with. DomainError takes both when it is thrown, so
 * they stay beside the codes; what a client is told about each (OpenAPI) is the HTTP surface's.
 */
export const PAYMENT_PROBLEMS: Readonly<Record<PaymentProblemCode, ProblemSpec>> = {
  [PaymentProblemCode.ApiKeyInvalid]: {
    status: 401,
    title: 'API key missing or invalid',
  },
  [PaymentProblemCode.LiveModeUnavailable]: {
    status: 403,
    title: 'Live mode not available',
  },
  [PaymentProblemCode.IdempotencyKeyMissing]: {
    status: 400,
    title: 'Idempotency-Key missing',
  },
  [PaymentProblemCode.IdempotencyKeyInvalid]: {
    status: 400,
    title: 'Idempotency-Key invalid',
  },
  [PaymentProblemCode.IdempotencyKeyReused]: {
    status: 422,
    title: 'Idempotency-Key reused with another request',
  },
  [PaymentProblemCode.IdempotencyKeyInFlight]: {
    status: 409,
    title: 'Request with this Idempotency-Key in progress',
  },
  [PaymentProblemCode.CheckoutAlreadyExists]: {
    status: 409,
    title: 'Checkout already has a payment',
  },
  [PaymentProblemCode.InvalidPayment]: {
    status: 422,
    title: 'Payment refused at intake',
  },
  [PaymentProblemCode.PaymentNotFound]: {
    status: 404,
    title: 'Payment not found',
  },
  [PaymentProblemCode.InvalidCursor]: {
    status: 400,
    title: 'Invalid cursor',
  },
  [PaymentProblemCode.MethodUnavailable]: {
    status: 503,
    title: 'Payment method temporarily unavailable',
  },
  [PaymentProblemCode.MethodSwitchedOff]: {
    status: 422,
    title: 'Payment method switched off',
  },
  [PaymentProblemCode.Overloaded]: {
    status: 503,
    title: 'Payment intake overloaded',
  },
  [PaymentProblemCode.RateLimited]: {
    status: 429,
    title: 'Too many requests with this API key',
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

/** Problem codes of the operators' key administration (`/v1/admin/api-keys`), not of the merchant API. */
export enum ApiKeyAdminProblemCode {
  ApiKeyNotFound = 'api_key_not_found',
  ApiKeyPrefixAmbiguous = 'api_key_prefix_ambiguous',
  ApiKeyAlreadyRevoked = 'api_key_already_revoked',
  MerchantIdInvalid = 'merchant_id_invalid',
}

export const API_KEY_ADMIN_PROBLEMS: Readonly<Record<ApiKeyAdminProblemCode, ProblemSpec>> = {
  [ApiKeyAdminProblemCode.ApiKeyNotFound]: { status: 404, title: 'API key not found' },
  [ApiKeyAdminProblemCode.ApiKeyPrefixAmbiguous]: { status: 409, title: 'API key prefix names several keys' },
  [ApiKeyAdminProblemCode.ApiKeyAlreadyRevoked]: { status: 409, title: 'API key already revoked' },
  [ApiKeyAdminProblemCode.MerchantIdInvalid]: { status: 422, title: 'Merchant id invalid' },
};

/** A refused key administration request, answered as problem+json. */
export class ApiKeyAdminProblem extends DomainError {
  override readonly code: ApiKeyAdminProblemCode;

  constructor(code: ApiKeyAdminProblemCode, detail: string) {
    super({ code, ...API_KEY_ADMIN_PROBLEMS[code], detail });
    this.code = code;
  }
}
