/** Why an observability helper refused its input. */
export enum ObservabilityErrorCode {
  InvalidTraceparent = 'INVALID_TRACEPARENT',
  InvalidHealthCheck = 'INVALID_HEALTH_CHECK',
  DuplicateHealthCheck = 'DUPLICATE_HEALTH_CHECK',
  InvalidLimit = 'INVALID_LIMIT',
  MetricTypeMismatch = 'METRIC_TYPE_MISMATCH',
  InvalidProblemStatus = 'INVALID_PROBLEM_STATUS',
  InvalidRetryAfter = 'INVALID_RETRY_AFTER',
}

/** A programming or configuration mistake in the use of this library; never a runtime condition. */
export class ObservabilityError extends Error {
  constructor(
    readonly code: ObservabilityErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ObservabilityError';
  }
}

/** Asserts that a configured limit is a positive integer, so a typo cannot disable a limit silently. */
export function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ObservabilityError(
      ObservabilityErrorCode.InvalidLimit,
      `${name} must be a positive integer, got ${String(value)}`,
    );
  }
}
