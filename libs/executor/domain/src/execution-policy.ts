import { PaymentOrderError, PaymentOrderErrorCode } from './payment-order.error';

/** The limits of charging and resolving one payment order. */
export interface ExecutionPolicy {
  /** Charge attempts (each with the same idempotency key to the same PSP) before giving up. */
  readonly chargeAttemptsMax: number;
  readonly retryInitialDelayMs: number;
  readonly retryMaxDelayMs: number;
  /** Delays between status inquiries while an outcome is unknown. */
  readonly inquiryInitialDelayMs: number;
  readonly inquiryMaxDelayMs: number;
}

export const DEFAULT_EXECUTION_POLICY: ExecutionPolicy = {
  chargeAttemptsMax: 5,
  retryInitialDelayMs: 1_000,
  retryMaxDelayMs: 60_000,
  inquiryInitialDelayMs: 1_000,
  inquiryMaxDelayMs: 60_000,
};

export function assertValidExecutionPolicy(policy: ExecutionPolicy): void {
  const problems: string[] = [];
  if (!Number.isSafeInteger(policy.chargeAttemptsMax) || policy.chargeAttemptsMax < 1) {
    problems.push('chargeAttemptsMax must be a positive integer');
  }
  for (const [name, initialMs, maxMs] of [
    ['retry', policy.retryInitialDelayMs, policy.retryMaxDelayMs],
    ['inquiry', policy.inquiryInitialDelayMs, policy.inquiryMaxDelayMs],
  ] as const) {
    if (
      !Number.isSafeInteger(initialMs) ||
      initialMs < 1 ||
      !Number.isSafeInteger(maxMs) ||
      maxMs < initialMs
    ) {
      problems.push(`${name} delays must be positive integers with initial <= max`);
    }
  }
  if (problems.length > 0) {
    throw new PaymentOrderError(PaymentOrderErrorCode.InvalidPolicy, problems.join('; '));
  }
}
