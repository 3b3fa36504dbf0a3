import {
  buildEnvelope,
  PAYMENT_ORDER_EVENT_TYPES,
  toMoneyPayload,
  type EventEnvelope,
  type PaymentMethodPayload,
  type PaymentOrderDeclinedPayload,
  type PaymentOrderFailedPayload,
  type PaymentOrderSucceededPayload,
  type PaymentOrderSucceededV2Payload,
} from '@keel/contracts';
import type { ExecutionDecision } from '@keel/executor-domain';
import type { PaymentOrder } from '../payment-order/payment-order.record';

export const EXECUTOR_EVENT_SOURCE = '/keel/executor';

export type TerminalDecision = Extract<ExecutionDecision, { kind: 'succeed' | 'decline' | 'fail' }>;

function paymentMethodOf(order: PaymentOrder): PaymentMethodPayload {
  return order.methodProvider === undefined
    ? { type: order.methodType }
    : { type: order.methodType, provider: order.methodProvider };
}

function requirePspId(order: PaymentOrder): string {
  if (order.pspId === undefined)
    throw new Error(`payment order ${order.paymentOrderId} has an outcome but no PSP`);
  return order.pspId;
}

/**
 * The events that tell payment, wallet and ledger how the order ended; they continue the request's
 * trace. A success is `succeeded.v1` and, beside it, `succeeded.v2` with the platform fee the
 * payment service decided, which wallet and ledger apply (the saga still reads v1). An order
 * requested without a fee (before fees travelled with requests) can only announce v1.
 */
export function outcomeEnvelopes(order: PaymentOrder, decision: TerminalDecision, at: Date): EventEnvelope[] {
  const envelope = outcomeEnvelope(order, decision, at);
  if (decision.kind !== 'succeed' || order.platformFeeMinor === undefined) return [envelope];
  const data: PaymentOrderSucceededV2Payload = {
    ...succeededPayloadOf(order, decision.pspReference, at),
    platformFee: toMoneyPayload(order.platformFeeMinor, order.currency),
  };
  const type = PAYMENT_ORDER_EVENT_TYPES.succeededV2;
  return [
    envelope,
    buildEnvelope({ type, source: EXECUTOR_EVENT_SOURCE, data, traceparent: order.traceparent }),
  ];
}

function succeededPayloadOf(
  order: PaymentOrder,
  pspReference: string,
  at: Date,
): PaymentOrderSucceededPayload {
  return {
    paymentOrderId: order.paymentOrderId,
    paymentId: order.paymentId,
    merchantId: order.merchantId,
    sellerId: order.sellerId,
    amount: toMoneyPayload(order.amountMinor, order.currency),
    paymentMethod: paymentMethodOf(order),
    pspId: requirePspId(order),
    pspReference,
    succeededAt: at.toISOString(),
  };
}

function outcomeEnvelope(order: PaymentOrder, decision: TerminalDecision, at: Date): EventEnvelope {
  const common = {
    paymentOrderId: order.paymentOrderId,
    paymentId: order.paymentId,
    sellerId: order.sellerId,
    amount: toMoneyPayload(order.amountMinor, order.currency),
    paymentMethod: paymentMethodOf(order),
  };
  const traceparent = order.traceparent;
  switch (decision.kind) {
    case 'succeed': {
      const data = succeededPayloadOf(order, decision.pspReference, at);
      return buildEnvelope({
        type: PAYMENT_ORDER_EVENT_TYPES.succeeded,
        source: EXECUTOR_EVENT_SOURCE,
        data,
        traceparent,
      });
    }
    case 'decline': {
      const data: PaymentOrderDeclinedPayload = {
        ...common,
        pspId: requirePspId(order),
        decline: { code: decision.code, message: decision.message },
        declinedAt: at.toISOString(),
      };
      return buildEnvelope({
        type: PAYMENT_ORDER_EVENT_TYPES.declined,
        source: EXECUTOR_EVENT_SOURCE,
        data,
        traceparent,
      });
    }
    case 'fail': {
      const failure = { code: decision.code, message: decision.message.slice(0, 500) };
      const data: PaymentOrderFailedPayload =
        order.pspId === undefined
          ? { ...common, failure, failedAt: at.toISOString() }
          : { ...common, pspId: order.pspId, failure, failedAt: at.toISOString() };
      return buildEnvelope({
        type: PAYMENT_ORDER_EVENT_TYPES.failed,
        source: EXECUTOR_EVENT_SOURCE,
        data,
        traceparent,
      });
    }
    default: {
      const unreachable: never = decision;
      return unreachable;
    }
  }
}
