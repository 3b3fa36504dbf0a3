import { ObservabilityError, ObservabilityErrorCode } from './observability.error';
import { problemTypeUri } from './problem';

export interface DomainErrorOptions {
  /** Stable, machine-readable; becomes the last segment of the problem type URI. */
  readonly code: string;
  /** The HTTP status the problem is answered with, 400–599. */
  readonly status: number;
  /** Short, the same for every occurrence of the code. */
  readonly title: string;
  /** This occurrence, for humans; never internals or secrets. Defaults to the title. */
  readonly detail?: string;
  /** Extra problem members for clients, e.g. `{ paymentId }`. */
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** Seconds the client should wait before sending the request again; answered as Retry-After. */
  readonly retryAfterS?: number;
  readonly cause?: unknown;
}

/**
 * Base class of the errors services throw for business outcomes. ProblemDetailsFilter answers it as
 * problem+json of type `https://keel.dev/problems/<code>`, with Retry-After when the error carries
 * `retryAfterS`; subclasses narrow `code` to their enum.
 */
export class DomainError extends Error {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly retryAfterS: number | undefined;

  constructor(options: DomainErrorOptions) {
    super(options.detail ?? options.title, { cause: options.cause });
    if (!Number.isInteger(options.status) || options.status < 400 || options.status > 599) {
      throw new ObservabilityError(
        ObservabilityErrorCode.InvalidProblemStatus,
        `DomainError ${options.code} needs an HTTP error status (400–599), got ${String(options.status)}`,
      );
    }
    // RFC 9110's delay-seconds: a whole number of seconds, never negative.
    if (
      options.retryAfterS !== undefined &&
      !(Number.isSafeInteger(options.retryAfterS) && options.retryAfterS >= 0)
    ) {
      throw new ObservabilityError(
        ObservabilityErrorCode.InvalidRetryAfter,
        `DomainError ${options.code} needs Retry-After as whole seconds (0 or more), got ${String(options.retryAfterS)}`,
      );
    }
    this.name = new.target.name;
    this.code = options.code;
    this.status = options.status;
    this.title = options.title;
    this.detail = options.detail ?? options.title;
    this.type = problemTypeUri(options.code);
    this.extensions = options.extensions ?? {};
    this.retryAfterS = options.retryAfterS;
  }
}
