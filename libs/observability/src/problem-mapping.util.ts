import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { DomainError } from './domain.error';
import { GENERIC_PROBLEM_TYPE, ProblemDetails, problemTypeUri } from './problem';
import { ValidationFailedException } from './validation-failed.error';

export const VALIDATION_PROBLEM_CODE = 'validation-failed';
export const PAYLOAD_TOO_LARGE_PROBLEM_CODE = 'payload-too-large';
export const INTERNAL_ERROR_DETAIL = 'An unexpected error occurred.';

/** Maps anything thrown while serving a request to the problem the client is answered with. */
export function problemFromException(exception: unknown): ProblemDetails {
  if (exception instanceof DomainError) return problemFromDomainError(exception);
  if (exception instanceof ValidationFailedException) return problemFromValidation(exception);
  if (exception instanceof HttpException) return problemFromHttpException(exception);
  if (isExposedClientError(exception)) return problemFromClientError(exception);
  return internalErrorProblem();
}

/** A dependency was briefly down: the request may simply be sent again. */
export function unavailableProblem(code: string): ProblemDetails {
  return {
    type: problemTypeUri(code),
    title: statusTitle(503),
    status: 503,
    detail:
      'A dependency of this service was briefly unavailable. Retry after Retry-After seconds, with the same Idempotency-Key if the request had one.',
  };
}

export function internalErrorProblem(): ProblemDetails {
  // Unknown errors may carry SQL, hostnames or secrets in their message, so none of it is sent.
  return { type: GENERIC_PROBLEM_TYPE, title: statusTitle(500), status: 500, detail: INTERNAL_ERROR_DETAIL };
}

function problemFromDomainError(error: DomainError): ProblemDetails {
  // Standard members are spread last so an extension can never overwrite them.
  return {
    ...error.extensions,
    type: error.type,
    title: error.title,
    status: error.status,
    detail: error.detail,
    code: error.code,
  };
}

function problemFromValidation(exception: ValidationFailedException): ProblemDetails {
  return {
    type: problemTypeUri(VALIDATION_PROBLEM_CODE),
    title: 'Validation failed',
    status: exception.getStatus(),
    detail: 'The request has invalid fields.',
    errors: exception.errors,
  };
}

function problemFromHttpException(exception: HttpException): ProblemDetails {
  const status = exception.getStatus();
  const title = statusTitle(status);
  const detail = httpExceptionDetail(exception.getResponse());
  const problem = { type: GENERIC_PROBLEM_TYPE, title, status };
  return detail === undefined || detail === title ? problem : { ...problem, detail };
}

/** The http-errors convention of Express middleware (body-parser's 413, 415...): status plus a safe message. */
interface ExposedClientError {
  readonly status: number;
  readonly message: string;
  readonly expose: true;
  /** body-parser's name for what went wrong, e.g. 'entity.too.large'. */
  readonly type?: unknown;
}

// body-parser's error types that reach the filter, as Keel problem codes. (Nest would turn
// malformed JSON into a bare BadRequestException before it gets here; the platform's parser
// answers it as a MalformedBodyError instead.)
const BODY_PARSER_PROBLEM_CODES: Readonly<Record<string, string>> = {
  'entity.too.large': PAYLOAD_TOO_LARGE_PROBLEM_CODE,
  'encoding.unsupported': 'unsupported-encoding',
  'charset.unsupported': 'unsupported-charset',
};

function isExposedClientError(exception: unknown): exception is ExposedClientError {
  if (!(exception instanceof Error)) return false;
  const { status, expose } = exception as Error & { status?: unknown; expose?: unknown };
  return (
    expose === true && typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 500
  );
}

function problemFromClientError(error: ExposedClientError): ProblemDetails {
  const code = typeof error.type === 'string' ? BODY_PARSER_PROBLEM_CODES[error.type] : undefined;
  return {
    type: code === undefined ? GENERIC_PROBLEM_TYPE : problemTypeUri(code),
    title: statusTitle(error.status),
    status: error.status,
    detail: error.message,
  };
}

// Nest's exceptions answer `{ statusCode, message, error }`, where message may be a list.
function httpExceptionDetail(response: string | object): string | undefined {
  if (typeof response === 'string') return response;
  const message: unknown = 'message' in response ? response.message : undefined;
  if (typeof message === 'string') return message;
  if (Array.isArray(message) && message.every((item) => typeof item === 'string')) return message.join('; ');
  return undefined;
}

function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
