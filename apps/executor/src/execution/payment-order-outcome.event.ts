import {
  buildEnvelope,
  PAYMENT_ORDER_EVENT_TYPES,
  toMoneyPayload,
  type EventEnvelope,
  type PaymentMethodPayload,
  type PaymentOrderDeclinedPayload,
  type PaymentOrderFailedPayload,
  type PaymentOrderSucceededPayload,
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

/** The event that tells payment, wallet and ledger how the order ended; it continues the request's trace. */
export function outcomeEnvelope(order: PaymentOrder, decision: TerminalDecision, at: Date): EventEnvelope {
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
      const data: PaymentOrderSucceededPayload = {
        ...common,
        merchantId: order.merchantId,
        pspId: requirePspId(order),
        pspReference: decision.pspReference,
        succeededAt: at.toISOString(),
      };
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
