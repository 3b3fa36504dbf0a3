import {
  ATTEMPT_ERROR_MESSAGE_LENGTH_MAX,
  buildEnvelope,
  IDENTIFIER_PATTERN,
  PSP_EVENT_TYPES,
  UNSPECIFIED_PROVIDER,
  type EventEnvelope,
  type PspAttemptRecordedPayload,
} from '@keel/contracts';
import { attemptOutcomeOf, type ChargeResult } from '@keel/executor-domain';
import type { TimedResult } from '../resilience/psp-call.util';
import type { ChargeOutcome } from './claimed-charge';
import { EXECUTOR_EVENT_SOURCE } from './payment-order-outcome.event';

/** Keel's decline code for a decline; the executor's error code for a call that went wrong. */
function errorCodeOf(call: TimedResult<ChargeResult>): string | undefined {
  const code = call.result.kind === 'declined' ? call.result.code : call.errorCode;
  // A code that carries a PSP's own (`psp_rejected_request:<theirs>`) may not be an identifier.
  return code !== undefined && IDENTIFIER_PATTERN.test(code) ? code : undefined;
}

function errorMessageOf(result: ChargeResult): string | undefined {
  if (!('message' in result)) return undefined;
  const message = result.message.slice(0, ATTEMPT_ERROR_MESSAGE_LENGTH_MAX);
  return message.length > 0 ? message : undefined;
}

/**
 * The event of one charge attempt, keyed by its PSP, continuing the order's trace. It is built for
 * every call that was made or that a breaker turned away, whatever the order became meanwhile.
 */
export function attemptEnvelope({ claimed, call, attemptedAt }: ChargeOutcome): EventEnvelope {
  const { order, previousPspId } = claimed;
  const errorCode = errorCodeOf(call);
  const errorMessage = errorMessageOf(call.result);
  const data: PspAttemptRecordedPayload = {
    orderId: order.paymentOrderId,
    pspId: order.pspId,
    methodType: order.methodType,
    provider: order.methodProvider ?? UNSPECIFIED_PROVIDER,
    outcome: attemptOutcomeOf(call.result),
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(errorMessage === undefined ? {} : { errorMessage }),
    latencyMs: Math.round(call.durationMs),
    retry: order.attempts > 1,
    failover: previousPspId !== undefined && previousPspId !== order.pspId,
    attemptedAt: attemptedAt.toISOString(),
  };
  return buildEnvelope({
    type: PSP_EVENT_TYPES.attemptRecorded,
    source: EXECUTOR_EVENT_SOURCE,
    data,
    traceparent: order.traceparent,
  });
}
