import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import {
  BODY_TOO_DEEP_PROBLEM_CODE,
  MALFORMED_BODY_PROBLEM_CODE,
  PAYLOAD_TOO_LARGE_PROBLEM_CODE,
  PROBLEM_TYPE_BASE_URI,
  VALIDATION_PROBLEM_CODE,
} from '@keel/observability';
import { PAYMENT_PROBLEMS, PaymentProblemCode } from '../payment.errors';
import { ProblemDto } from './payment-response.dto';

const VALIDATION = `\`${PROBLEM_TYPE_BASE_URI}${VALIDATION_PROBLEM_CODE}\`: a field is invalid; \`errors\` lists each field.`;
const MALFORMED = `\`${PROBLEM_TYPE_BASE_URI}${MALFORMED_BODY_PROBLEM_CODE}\`: the body is not valid JSON.`;
const TOO_DEEP = `\`${PROBLEM_TYPE_BASE_URI}${BODY_TOO_DEEP_PROBLEM_CODE}\`: the body nests deeper than HTTP_BODY_DEPTH_MAX.`;
const TOO_LARGE = `\`${PROBLEM_TYPE_BASE_URI}${PAYLOAD_TOO_LARGE_PROBLEM_CODE}\`: the body exceeds HTTP_BODY_LIMIT_BYTES.`;
/** Statuses whose every problem carries Retry-After (load shedding, rate limit, method unavailable). */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);
const RETRY_AFTER_HEADER = {
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } },
};

/** When a client sees each problem, as the OpenAPI description says it. */
const WHEN: Readonly<Record<PaymentProblemCode, string>> = {
  [PaymentProblemCode.ApiKeyInvalid]:
    'No `Authorization: Bearer <key>` header, or its key is unknown, revoked or expired (answered with `WWW-Authenticate: Bearer`).',
  [PaymentProblemCode.LiveModeUnavailable]:
    'The key is a live key (`sk_live_`): Keel takes test keys only until it has live PSP credentials.',
  [PaymentProblemCode.IdempotencyKeyMissing]:
    'A POST that creates a payment came without an Idempotency-Key header.',
  [PaymentProblemCode.IdempotencyKeyInvalid]:
    'The Idempotency-Key is not 1 to 255 printable ASCII characters.',
  [PaymentProblemCode.IdempotencyKeyReused]:
    'The key was already used by this merchant with a different body.',
  [PaymentProblemCode.IdempotencyKeyInFlight]:
    'The first request with this key is still running; retry after Retry-After seconds.',
  [PaymentProblemCode.CheckoutAlreadyExists]:
    'This merchant already has a payment for the checkoutId (under another Idempotency-Key).',
  [PaymentProblemCode.InvalidPayment]: 'The payment breaks an intake rule the schema cannot express.',
  [PaymentProblemCode.PaymentNotFound]: 'No payment with this id belongs to the merchant.',
  [PaymentProblemCode.InvalidCursor]: 'The pagination cursor was not issued by this API.',
  [PaymentProblemCode.MethodUnavailable]:
    'No payment service provider can take this payment method right now; retry after Retry-After seconds or use another method.',
  [PaymentProblemCode.MethodSwitchedOff]:
    'Operations switched this payment method, or its issuer, easy-pay provider or bank, off for buyers; `notice` says what buyers are told. Use another method (GET /v1/payment-methods lists them); retrying the same one fails until it is switched on.',
  [PaymentProblemCode.Overloaded]:
    'Too many payments are waiting for their charge, or too many are being created at once; nothing was stored. Retry after Retry-After seconds with the same Idempotency-Key.',
  [PaymentProblemCode.RateLimited]:
    'The API key is over its rate on this instance, for writes or for reads (each has its own); nothing was stored. Retry after Retry-After seconds (a create with the same Idempotency-Key).',
};

function describe(code: PaymentProblemCode): string {
  return `\`${PROBLEM_TYPE_BASE_URI}${code}\`: ${WHEN[code]}`;
}

/**
 * Documents the problem+json answers of an operation, grouped by status, each with its type URI.
 * `validation` adds the 400 validation problem, `body` the 400s of a body that is not JSON or
 * nests too deep and the 413 of the body limit.
 */
export function ApiProblems(
  codes: readonly PaymentProblemCode[],
  options: { validation?: boolean; body?: boolean } = {},
): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, string[]>();
  const add = (status: number, line: string): void => {
    byStatus.set(status, [...(byStatus.get(status) ?? []), line]);
  };
  for (const code of codes) add(PAYMENT_PROBLEMS[code].status, describe(code));
  if (options.validation === true) add(400, VALIDATION);
  if (options.body === true) add(400, MALFORMED);
  if (options.body === true) add(400, TOO_DEEP);
  if (options.body === true) add(413, TOO_LARGE);
  return applyDecorators(
    ...[...byStatus.entries()].map(([status, lines]) =>
      ApiResponse({
        status,
        description: `application/problem+json (RFC 9457). Problem types:\n\n- ${lines.join('\n- ')}`,
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
        ...(RETRY_AFTER_STATUSES.has(status) ? { headers: RETRY_AFTER_HEADER } : {}),
      }),
    ),
  );
}
