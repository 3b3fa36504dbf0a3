import type {
  PaymentCommand,
  RecordLedgerTransaction,
  RecordOrderDeclined,
  RecordOrderFailed,
  RecordOrderOutcomeUnknown,
  RecordOrderSucceeded,
  RecordWalletCredit,
  RequestPayment,
} from './payment.command';
import { PaymentError, PaymentErrorCode } from './payment.error';
import type { PaymentEvent } from './payment.event';
import { evaluateCompletion, type CompletionOutcome } from './payment-completion.rules';
import { assertValidIntake } from './payment-intake.rules';
import { evolve } from './payment.evolve';
import { orderOf, type PaymentOrderState, type PaymentState } from './payment.state';

const NOTHING_NEW: PaymentEvent[] = [];

function conflict(order: PaymentOrderState, message: string): PaymentError {
  return new PaymentError(PaymentErrorCode.ConflictingOutcome, `order ${order.id}: ${message}`);
}

function mismatch(
  state: PaymentState,
  order: PaymentOrderState,
  reported: ReportedMoney,
  rule: string,
): PaymentError {
  return new PaymentError(
    PaymentErrorCode.ConfirmationMismatch,
    `order ${order.id} is ${order.amountMinor} ${state.currency} for ${order.sellerId}; ` +
      `${reported.amountMinor} ${reported.currency} for ${reported.sellerId} ${rule}`,
  );
}

interface ReportedMoney {
  readonly sellerId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
}

/** A charge is for exactly the order's seller, amount and currency. */
function assertSameCharge(state: PaymentState, order: PaymentOrderState, reported: ReportedMoney): void {
  if (
    reported.sellerId !== order.sellerId ||
    reported.amountMinor !== order.amountMinor ||
    reported.currency !== state.currency
  ) {
    throw mismatch(state, order, reported, 'cannot be its charge');
  }
}

/**
 * A wallet credit goes to the order's seller in its currency; the wallet credits the seller's
 * share net of the platform fee, so the amount is above zero and at most the order's amount.
 */
function assertCreditFits(state: PaymentState, order: PaymentOrderState, reported: ReportedMoney): void {
  if (
    reported.sellerId !== order.sellerId ||
    reported.currency !== state.currency ||
    reported.amountMinor <= 0n ||
    reported.amountMinor > order.amountMinor
  ) {
    throw mismatch(state, order, reported, 'cannot be its wallet credit');
  }
}

function requestPayment(state: PaymentState | undefined, command: RequestPayment): PaymentEvent[] {
  if (state !== undefined) {
    throw new PaymentError(
      PaymentErrorCode.PaymentAlreadyExists,
      `payment ${state.id} was already requested`,
    );
  }
  assertValidIntake(command.currency, command.orders);
  const at = command.occurredAt;
  const requestedEvent: PaymentEvent = {
    type: 'PaymentRequested',
    occurredAt: at,
    paymentId: command.paymentId,
    merchantId: command.merchantId,
    checkoutId: command.checkoutId,
    buyer: command.buyer,
    paymentMethod: command.paymentMethod,
    currency: command.currency,
    orders: command.orders,
  };
  if (!command.risk.approved) {
    const { reason, detail } = command.risk;
    return [requestedEvent, { type: 'PaymentRiskRejected', occurredAt: at, reason, detail }];
  }
  return [
    requestedEvent,
    ...command.orders.map((line): PaymentEvent => ({
      type: 'OrderExecutionRequested',
      occurredAt: at,
      paymentOrderId: line.paymentOrderId,
    })),
  ];
}

function recordOutcomeUnknown(state: PaymentState, command: RecordOrderOutcomeUnknown): PaymentEvent[] {
  const order = orderOf(state, command.paymentOrderId);
  if (order.status === 'created') {
    throw new PaymentError(
      PaymentErrorCode.IllegalTransition,
      `order ${order.id} was never sent for execution`,
    );
  }
  // Once the order has an outcome (or is already unknown), news that it was unknown is stale.
  if (order.status !== 'executing') return NOTHING_NEW;
  return [{ type: 'OrderOutcomeUnknown', occurredAt: command.occurredAt, paymentOrderId: order.id }];
}

function recordSucceeded(state: PaymentState, command: RecordOrderSucceeded): PaymentEvent[] {
  const order = orderOf(state, command.paymentOrderId);
  assertSameCharge(state, order, command);
  if (order.status === 'succeeded') {
    // The same charge reported again (e.g. a republished event) changes nothing; another one is a conflict.
    if (order.charge?.pspId === command.pspId && order.charge.pspReference === command.pspReference) {
      return NOTHING_NEW;
    }
    throw conflict(order, `already charged as ${order.charge?.pspId}/${order.charge?.pspReference}`);
  }
  if (order.status === 'declined' || order.status === 'failed') {
    throw conflict(order, `reported charged but already ${order.status}`);
  }
  const { paymentOrderId, pspId, pspReference, occurredAt } = command;
  return [{ type: 'OrderSucceeded', occurredAt, paymentOrderId, pspId, pspReference }];
}

function recordNotCharged(
  state: PaymentState,
  command: RecordOrderDeclined | RecordOrderFailed,
): PaymentEvent[] {
  const order = orderOf(state, command.paymentOrderId);
  const status = command.kind === 'RecordOrderDeclined' ? 'declined' : 'failed';
  if (order.status === status && order.failure?.code === command.code) return NOTHING_NEW;
  if (order.status === 'succeeded' || order.status === 'declined' || order.status === 'failed') {
    throw conflict(order, `reported ${status} but already ${order.status}`);
  }
  if (order.walletCreditedAt !== undefined || order.ledgerTransactionId !== undefined) {
    throw conflict(order, `reported ${status} but its charge was already credited or recorded`);
  }
  const { paymentOrderId, code, message, occurredAt } = command;
  const type = command.kind === 'RecordOrderDeclined' ? 'OrderDeclined' : 'OrderFailed';
  return [{ type, occurredAt, paymentOrderId, code, message }];
}

function recordWalletCredit(state: PaymentState, command: RecordWalletCredit): PaymentEvent[] {
  const order = orderOf(state, command.paymentOrderId);
  assertCreditFits(state, order, command);
  if (order.walletCreditedAt !== undefined) return NOTHING_NEW;
  if (order.status === 'declined' || order.status === 'failed') {
    throw conflict(order, `credited to the wallet but ${order.status}`);
  }
  return [{ type: 'OrderCreditedToWallet', occurredAt: command.occurredAt, paymentOrderId: order.id }];
}

function recordLedgerTransaction(state: PaymentState, command: RecordLedgerTransaction): PaymentEvent[] {
  const order = orderOf(state, command.paymentOrderId);
  if (order.ledgerTransactionId === command.ledgerTransactionId) return NOTHING_NEW;
  if (order.ledgerTransactionId !== undefined) {
    throw conflict(
      order,
      `a second ledger charge ${command.ledgerTransactionId} after ${order.ledgerTransactionId}`,
    );
  }
  if (order.status === 'declined' || order.status === 'failed') {
    throw conflict(order, `recorded in the ledger but ${order.status}`);
  }
  const { paymentOrderId, ledgerTransactionId, occurredAt } = command;
  return [{ type: 'OrderRecordedInLedger', occurredAt, paymentOrderId, ledgerTransactionId }];
}

function primaryEvents(state: PaymentState | undefined, command: PaymentCommand): PaymentEvent[] {
  if (command.kind === 'RequestPayment') return requestPayment(state, command);
  if (state === undefined) {
    throw new PaymentError(
      PaymentErrorCode.PaymentNotFound,
      `${command.kind} for a payment that does not exist`,
    );
  }
  switch (command.kind) {
    case 'RecordOrderOutcomeUnknown':
      return recordOutcomeUnknown(state, command);
    case 'RecordOrderSucceeded':
      return recordSucceeded(state, command);
    case 'RecordOrderDeclined':
    case 'RecordOrderFailed':
      return recordNotCharged(state, command);
    case 'RecordWalletCredit':
      return recordWalletCredit(state, command);
    case 'RecordLedgerTransaction':
      return recordLedgerTransaction(state, command);
  }
}

function terminalEvent(outcome: CompletionOutcome, occurredAt: string): PaymentEvent {
  switch (outcome.status) {
    case 'completed':
      return { type: 'PaymentCompleted', occurredAt };
    case 'partially_failed':
      return { type: 'PaymentPartiallyFailed', occurredAt };
    case 'failed':
      return { type: 'PaymentFailed', occurredAt, ...outcome.failure };
  }
}

/**
 * The events a command causes, given the payment's state (undefined before it exists). A fact that
 * is already recorded yields no events, so redelivered or republished events are harmless. After
 * every change the completion rules are asked again, and the terminal event joins the same batch.
 * Throws PaymentError for a command the payment cannot accept.
 */
export function decide(state: PaymentState | undefined, command: PaymentCommand): PaymentEvent[] {
  const primary = primaryEvents(state, command);
  if (primary.length === 0) return primary;
  // Folding here also proves every new event legal before anything is stored.
  const after = primary.reduce<PaymentState | undefined>(evolve, state);
  if (after === undefined || after.status !== 'processing') return primary;
  const outcome = evaluateCompletion(after);
  return outcome === undefined ? primary : [...primary, terminalEvent(outcome, command.occurredAt)];
}
