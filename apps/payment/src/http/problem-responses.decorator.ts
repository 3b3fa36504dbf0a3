import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_TYPE_BASE_URI, VALIDATION_PROBLEM_CODE } from '@keel/observability';
import { PAYMENT_PROBLEMS, type PaymentProblemCode } from './payment.problem';
import { ProblemDto } from './payment-response.dto';

const VALIDATION = `\`${PROBLEM_TYPE_BASE_URI}${VALIDATION_PROBLEM_CODE}\`: a field is invalid; \`errors\` lists each field.`;
const TOO_LARGE = '`about:blank` with status 413: the body exceeds HTTP_BODY_LIMIT_BYTES.';
/** Statuses whose every problem carries Retry-After (load shedding, rate limit, method unavailable). */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);
const RETRY_AFTER_HEADER = {
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } },
};

function describe(code: PaymentProblemCode): string {
  return `\`${PROBLEM_TYPE_BASE_URI}${code}\`: ${PAYMENT_PROBLEMS[code].when}`;
}

/**
 * Documents the problem+json answers of an operation, grouped by status, each with its type URI.
 * `validation` adds the 400 validation problem, `tooLarge` the 413 of the body limit.
 */
export function ApiProblems(
  codes: readonly PaymentProblemCode[],
  options: { validation?: boolean; tooLarge?: boolean } = {},
): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, string[]>();
  const add = (status: number, line: string): void => {
    byStatus.set(status, [...(byStatus.get(status) ?? []), line]);
  };
  for (const code of codes) add(PAYMENT_PROBLEMS[code].status, describe(code));
  if (options.validation === true) add(400, VALIDATION);
  if (options.tooLarge === true) add(413, TOO_LARGE);
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
