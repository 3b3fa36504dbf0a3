import {
  PspRejectedRequestError,
  PspUnavailableError,
  type ChargeRequest,
  type InquiryOutcome,
  type PspConnector,
  type PspOutcome,
} from '@keel/executor-connectors';
import type { ChargeResult, InquiryResult } from '@keel/executor-domain';

export interface TimedResult<R> {
  readonly result: R;
  readonly durationMs: number;
  /** The error behind a failed call, for the attempt record and the log. */
  readonly errorCode?: string;
}

function resultOfOutcome(outcome: PspOutcome): ChargeResult {
  switch (outcome.kind) {
    case 'succeeded':
      return { kind: 'succeeded', pspReference: outcome.pspReference, captured: outcome.captured };
    case 'pending':
    case 'cancelled':
      return { kind: outcome.kind, pspReference: outcome.pspReference };
    case 'declined':
      return outcome.pspReference === undefined
        ? { kind: 'declined', code: outcome.code, message: outcome.message }
        : {
            kind: 'declined',
            code: outcome.code,
            message: outcome.message,
            pspReference: outcome.pspReference,
          };
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}

function resultOfInquiry(outcome: InquiryOutcome): InquiryResult {
  return outcome.kind === 'not_found' ? outcome : resultOfOutcome(outcome);
}

/**
 * A connector's typed error as the rules see it. Only PspUnavailableError proves nothing was
 * charged; any other error, ours included, may hide a charge and is an unknown outcome.
 */
function resultOfError(error: unknown): { result: ChargeResult; errorCode: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof PspUnavailableError) {
    const result: ChargeResult =
      error.retryAfterMs === undefined
        ? { kind: 'unavailable', message }
        : { kind: 'unavailable', message, retryAfterMs: error.retryAfterMs };
    return { result, errorCode: error.code };
  }
  if (error instanceof PspRejectedRequestError) {
    return { result: { kind: 'rejected', message }, errorCode: `${error.code}:${error.pspCode}` };
  }
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'error';
  return { result: { kind: 'unknown_outcome', message }, errorCode: code };
}

/** Charges with the payment order id as idempotency key; never throws. */
export async function callCharge(
  connector: PspConnector,
  request: ChargeRequest,
): Promise<TimedResult<ChargeResult>> {
  const startedMs = performance.now();
  try {
    const outcome = await connector.charge(request);
    return { result: resultOfOutcome(outcome), durationMs: performance.now() - startedMs };
  } catch (error) {
    return { ...resultOfError(error), durationMs: performance.now() - startedMs };
  }
}

/** Asks the PSP what it holds for the idempotency key; never throws. */
export async function callInquiry(
  connector: PspConnector,
  idempotencyKey: string,
): Promise<TimedResult<InquiryResult>> {
  const startedMs = performance.now();
  try {
    const outcome = await connector.inquire(idempotencyKey);
    return { result: resultOfInquiry(outcome), durationMs: performance.now() - startedMs };
  } catch (error) {
    return { ...resultOfError(error), durationMs: performance.now() - startedMs };
  }
}
