import { FAILURE_CODES } from '@keel/contracts';

/** Failure codes the executor publishes in `keel.payment_order.failed.v1`. */
export const EXECUTOR_FAILURE_CODES = {
  /** No PSP is configured (or enabled) for the payment method; no PSP was called. */
  methodUnavailable: 'method_unavailable',
  /** Every attempt found the PSP unavailable, or it holds no charge after the last attempt. */
  pspUnavailable: FAILURE_CODES.pspUnavailable,
  /** The PSP refused the request itself (credentials, invalid request); retrying cannot help. */
  pspRejectedRequest: 'psp_rejected_request',
  /** The PSP reports the charge cancelled: no money is held. */
  cancelled: FAILURE_CODES.cancelled,
  /** The PSP captured another amount or currency than the order's: that charge is refunded. */
  amountMismatch: 'amount_mismatch',
} as const;
export type ExecutorFailureCode = (typeof EXECUTOR_FAILURE_CODES)[keyof typeof EXECUTOR_FAILURE_CODES];
