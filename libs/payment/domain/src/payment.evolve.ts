import { PaymentError, PaymentErrorCode } from './payment.error';
import type { Failure, PaymentEvent, PaymentRequested, PaymentRiskRejected } from './payment.event';
import { assertValidIntake } from './payment-intake.rules';
import { evaluateCompletion } from './payment-completion.rules';
import type { PaymentOrderStatus, PaymentStatus } from './payment-status';
import { orderOf, type PaymentOrderState, type PaymentState, type StatusChange } from './payment.state';

/** Failure code of orders that were never executed because the risk check rejected the payment. */
export const RISK_REJECTED_ORDER_CODE = 'risk_rejected';

/** Order statuses each step is legal from: the order state machine. */
const ORDER_STEPS_FROM = {
  execute: ['created'],
  unknown: ['executing'],
  outcome: ['executing', 'unknown'],
  confirm: ['executing', 'unknown', 'succeeded'],
} as const satisfies Record<string, readonly PaymentOrderStatus[]>;

type Change = Omit<StatusChange, 'version' | 'ordinal'>;

function illegal(message: string): PaymentError {
  return new PaymentError(PaymentErrorCode.IllegalTransition, message);
}

function requested(event: PaymentRequested): PaymentState {
  const amountMinor = assertValidIntake(event.currency, event.orders);
  const at = event.occurredAt;
  const changes: Change[] = [
    { status: 'processing', occurredAt: at },
    ...event.orders.map((line) => ({
      paymentOrderId: line.paymentOrderId,
      status: 'created' as const,
      occurredAt: at,
    })),
  ];
  return {
    id: event.paymentId,
    merchantId: event.merchantId,
    checkoutId: event.checkoutId,
    buyer: event.buyer,
    paymentMethod: event.paymentMethod,
    currency: event.currency,
    amountMinor,
    status: 'processing',
    orders: event.orders.map((line) => ({
      id: line.paymentOrderId,
      sellerId: line.sellerId,
      amountMinor: line.amountMinor,
      ...(line.platformFeeMinor === undefined ? {} : { platformFeeMinor: line.platformFeeMinor }),
      status: 'created',
      createdAt: at,
      updatedAt: at,
    })),
    history: changes.map((change, ordinal) => ({ ...change, version: 1, ordinal })),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

/** The state with one order replaced; `from` lists the statuses the step is legal from. */
function updateOrder(
  state: PaymentState,
  paymentOrderId: string,
  from: readonly PaymentOrderStatus[],
  patch: Partial<PaymentOrderState>,
  at: string,
): PaymentState {
  const order = orderOf(state, paymentOrderId);
  if (!from.includes(order.status)) {
    throw illegal(`order ${paymentOrderId} cannot change while ${order.status}`);
  }
  const updated = { ...order, ...patch, updatedAt: at };
  return { ...state, orders: state.orders.map((candidate) => (candidate === order ? updated : candidate)) };
}

function withChanges(state: PaymentState, changes: readonly Change[]): PaymentState {
  const version = state.version + 1;
  const added = changes.map((change, ordinal) => ({ ...change, version, ordinal }));
  return { ...state, history: [...state.history, ...added] };
}

function orderStep(
  state: PaymentState,
  paymentOrderId: string,
  from: readonly PaymentOrderStatus[],
  patch: Partial<PaymentOrderState> & { status: PaymentOrderStatus },
  at: string,
): PaymentState {
  const next = updateOrder(state, paymentOrderId, from, patch, at);
  const reasonCode = patch.failure?.code;
  return withChanges(next, [
    {
      paymentOrderId,
      status: patch.status,
      occurredAt: at,
      ...(reasonCode === undefined ? {} : { reasonCode }),
    },
  ]);
}

/** A terminal payment status is legal only when the orders call for exactly it. */
function paymentStep(state: PaymentState, to: PaymentStatus, at: string, failure?: Failure): PaymentState {
  if (state.status !== 'processing') throw illegal(`payment ${state.id} is already ${state.status}`);
  const outcome = evaluateCompletion(state);
  if (outcome?.status !== to) {
    throw illegal(
      `payment ${state.id} cannot become ${to}; its orders call for ${outcome?.status ?? 'waiting'}`,
    );
  }
  return withChanges({ ...state, status: to, ...(failure === undefined ? {} : { failure }) }, [
    { status: to, occurredAt: at, ...(failure === undefined ? {} : { reasonCode: failure.code }) },
  ]);
}

function riskRejected(state: PaymentState, event: PaymentRiskRejected): PaymentState {
  if (state.status !== 'processing' || state.orders.some((order) => order.status !== 'created')) {
    throw illegal(
      `payment ${state.id} was already sent for execution; the risk check can no longer reject it`,
    );
  }
  const at = event.occurredAt;
  const failure = { code: RISK_REJECTED_ORDER_CODE, message: event.detail };
  return withChanges(
    {
      ...state,
      riskRejection: { reason: event.reason, detail: event.detail },
      orders: state.orders.map((order) => ({ ...order, status: 'failed', failure, updatedAt: at })),
    },
    state.orders.map((order) => ({
      paymentOrderId: order.id,
      status: 'failed',
      reasonCode: RISK_REJECTED_ORDER_CODE,
      occurredAt: at,
    })),
  );
}

function applyEvent(state: PaymentState, event: Exclude<PaymentEvent, PaymentRequested>): PaymentState {
  const at = event.occurredAt;
  switch (event.type) {
    case 'PaymentRiskRejected':
      return riskRejected(state, event);
    case 'OrderExecutionRequested':
      return orderStep(state, event.paymentOrderId, ORDER_STEPS_FROM.execute, { status: 'executing' }, at);
    case 'OrderOutcomeUnknown':
      return orderStep(state, event.paymentOrderId, ORDER_STEPS_FROM.unknown, { status: 'unknown' }, at);
    case 'OrderSucceeded':
      return orderStep(
        state,
        event.paymentOrderId,
        ORDER_STEPS_FROM.outcome,
        { status: 'succeeded', charge: { pspId: event.pspId, pspReference: event.pspReference } },
        at,
      );
    case 'OrderDeclined':
    case 'OrderFailed':
      return orderStep(
        state,
        event.paymentOrderId,
        ORDER_STEPS_FROM.outcome,
        {
          status: event.type === 'OrderDeclined' ? 'declined' : 'failed',
          failure: { code: event.code, message: event.message },
        },
        at,
      );
    case 'OrderCreditedToWallet':
      if (orderOf(state, event.paymentOrderId).walletCreditedAt !== undefined) {
        throw illegal(`order ${event.paymentOrderId} was already credited to the wallet`);
      }
      return updateOrder(state, event.paymentOrderId, ORDER_STEPS_FROM.confirm, { walletCreditedAt: at }, at);
    case 'OrderRecordedInLedger':
      if (orderOf(state, event.paymentOrderId).ledgerTransactionId !== undefined) {
        throw illegal(`order ${event.paymentOrderId} was already recorded in the ledger`);
      }
      return updateOrder(
        state,
        event.paymentOrderId,
        ORDER_STEPS_FROM.confirm,
        { ledgerTransactionId: event.ledgerTransactionId, ledgerRecordedAt: at },
        at,
      );
    case 'PaymentCompleted':
      return paymentStep(state, 'completed', at);
    case 'PaymentPartiallyFailed':
      return paymentStep(state, 'partially_failed', at);
    case 'PaymentFailed':
      return paymentStep(state, 'failed', at, { code: event.code, message: event.message });
  }
}

/**
 * The state after one more event. Throws PaymentError for an event the state machine does not
 * allow, so a corrupt or reordered stream is refused instead of folded into a wrong state.
 */
export function evolve(state: PaymentState | undefined, event: PaymentEvent): PaymentState {
  if (event.type === 'PaymentRequested') {
    if (state !== undefined) {
      throw new PaymentError(
        PaymentErrorCode.PaymentAlreadyExists,
        `payment ${state.id} was already requested`,
      );
    }
    return requested(event);
  }
  if (state === undefined) {
    throw new PaymentError(PaymentErrorCode.PaymentNotFound, `${event.type} came before PaymentRequested`);
  }
  const next = applyEvent(state, event);
  return { ...next, version: state.version + 1, updatedAt: event.occurredAt };
}

/** The state of a payment from its events in version order; undefined when there are none. */
export function fold(events: readonly PaymentEvent[]): PaymentState | undefined {
  return events.reduce<PaymentState | undefined>(evolve, undefined);
}
