import {
  buildEnvelope,
  PAYMENT_EVENT_TYPES,
  PAYMENT_ORDER_EVENT_TYPES,
  toMoneyPayload,
  type ChargedPaymentOrderPayload,
  type EventEnvelope,
  type FailedPaymentOrderPayload,
  type PaymentMethodPayload,
  type PaymentOrderExecutionRequestedPayload,
  type PaymentRequestedPayload,
} from '@keel/contracts';
import {
  instrumentTokenOf,
  providerOf,
  type PaymentEvent,
  type PaymentOrderState,
  type PaymentState,
} from '@keel/payment-domain';

export const PAYMENT_EVENT_SOURCE = '/keel/payment';

function methodPayload(state: PaymentState): PaymentMethodPayload {
  return { type: state.paymentMethod.type, provider: providerOf(state.paymentMethod) };
}

function charged(state: PaymentState, order: PaymentOrderState): ChargedPaymentOrderPayload {
  if (order.charge === undefined) throw new Error(`order ${order.id} is ${order.status} without a charge`);
  return {
    paymentOrderId: order.id,
    sellerId: order.sellerId,
    amount: toMoneyPayload(order.amountMinor, state.currency),
    pspId: order.charge.pspId,
    pspReference: order.charge.pspReference,
  };
}

function notCharged(state: PaymentState, order: PaymentOrderState): FailedPaymentOrderPayload {
  if (order.failure === undefined) throw new Error(`order ${order.id} is ${order.status} without a failure`);
  return {
    paymentOrderId: order.id,
    sellerId: order.sellerId,
    amount: toMoneyPayload(order.amountMinor, state.currency),
    failure: order.failure,
  };
}

function requested(state: PaymentState, at: string): EventEnvelope {
  const data: PaymentRequestedPayload = {
    paymentId: state.id,
    merchantId: state.merchantId,
    merchantReference: state.checkoutId,
    amount: toMoneyPayload(state.amountMinor, state.currency),
    paymentMethod: methodPayload(state),
    paymentOrders: state.orders.map((order) => ({
      paymentOrderId: order.id,
      sellerId: order.sellerId,
      amount: toMoneyPayload(order.amountMinor, state.currency),
    })),
    requestedAt: at,
  };
  return buildEnvelope({ type: PAYMENT_EVENT_TYPES.requested, source: PAYMENT_EVENT_SOURCE, data, time: at });
}

function executionRequested(state: PaymentState, order: PaymentOrderState, at: string): EventEnvelope {
  const data: PaymentOrderExecutionRequestedPayload = {
    paymentOrderId: order.id,
    paymentId: state.id,
    merchantId: state.merchantId,
    sellerId: order.sellerId,
    amount: toMoneyPayload(order.amountMinor, state.currency),
    paymentMethod: methodPayload(state),
    instrumentToken: instrumentTokenOf(state.paymentMethod),
    ...(order.platformFeeMinor === undefined
      ? {}
      : { platformFee: toMoneyPayload(order.platformFeeMinor, state.currency) }),
    requestedAt: at,
  };
  const type = PAYMENT_ORDER_EVENT_TYPES.executionRequested;
  return buildEnvelope({ type, source: PAYMENT_EVENT_SOURCE, data, time: at });
}

function terminal(state: PaymentState, event: PaymentEvent): EventEnvelope | undefined {
  const base = {
    paymentId: state.id,
    merchantId: state.merchantId,
    amount: toMoneyPayload(state.amountMinor, state.currency),
  };
  const at = event.occurredAt;
  const source = PAYMENT_EVENT_SOURCE;
  if (event.type === 'PaymentCompleted') {
    const paymentOrders = state.orders.map((order) => charged(state, order));
    const data = { ...base, paymentOrders, completedAt: at };
    return buildEnvelope({ type: PAYMENT_EVENT_TYPES.completed, source, data, time: at });
  }
  if (event.type === 'PaymentPartiallyFailed') {
    const succeededOrders = state.orders.filter((order) => order.status === 'succeeded');
    const failedOrders = state.orders.filter((order) => order.status !== 'succeeded');
    const data = {
      ...base,
      succeededOrders: succeededOrders.map((order) => charged(state, order)),
      failedOrders: failedOrders.map((order) => notCharged(state, order)),
      finishedAt: at,
    };
    return buildEnvelope({ type: PAYMENT_EVENT_TYPES.partiallyFailed, source, data, time: at });
  }
  if (event.type === 'PaymentFailed') {
    const failure = { code: event.code, message: event.message };
    const paymentOrders = state.orders.map((order) => notCharged(state, order));
    const data = { ...base, failure, paymentOrders, failedAt: at };
    return buildEnvelope({ type: PAYMENT_EVENT_TYPES.failed, source, data, time: at });
  }
  return undefined;
}

/**
 * The integration events (contracts) that the domain events of one decision publish, in order:
 * an accepted payment announces itself and asks the executor to charge each order; a payment
 * that reaches a terminal status says so. A risk-rejected payment publishes only its failure.
 */
export function integrationEventsOf(state: PaymentState, events: readonly PaymentEvent[]): EventEnvelope[] {
  const envelopes: EventEnvelope[] = [];
  for (const event of events) {
    if (event.type === 'OrderExecutionRequested') {
      const order = state.orders.find((candidate) => candidate.id === event.paymentOrderId);
      if (order === undefined) throw new Error(`payment ${state.id} has no order ${event.paymentOrderId}`);
      // The payment is announced once, just before the first execution request.
      if (envelopes.length === 0 && events[0]?.type === 'PaymentRequested') {
        envelopes.push(requested(state, event.occurredAt));
      }
      envelopes.push(executionRequested(state, order, event.occurredAt));
      continue;
    }
    const envelope = terminal(state, event);
    if (envelope !== undefined) envelopes.push(envelope);
  }
  return envelopes;
}
