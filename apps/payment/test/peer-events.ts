// The executor, wallet and ledger are not running in the payment service's integration tests:
// these produce their events into the test's namespace, as they would.
import { randomUUID } from 'node:crypto';
import { LEDGER_EVENT_TYPES, PAYMENT_ORDER_EVENT_TYPES, TOPICS, WALLET_EVENT_TYPES } from '@keel/contracts';
import type { OrderView, PaymentView } from './payment-fixtures';
import type { PaymentHarness } from './payment-harness';

function orderFields(payment: PaymentView, order: OrderView): object {
  return {
    paymentOrderId: order.id,
    paymentId: payment.id,
    sellerId: order.sellerId,
    amount: order.amount,
    paymentMethod: { type: 'card', provider: 'shinhan' },
  };
}

/** The executor charged the order at psp-a. */
export function orderSucceededPayload(payment: PaymentView, order: OrderView, merchantId: string): object {
  return {
    ...orderFields(payment, order),
    merchantId,
    pspId: 'psp-a',
    pspReference: `ref-${order.id}`,
    succeededAt: new Date().toISOString(),
  };
}

/** psp-a declined the order for insufficient funds. */
export function orderDeclinedPayload(payment: PaymentView, order: OrderView): object {
  return {
    ...orderFields(payment, order),
    pspId: 'psp-a',
    decline: { code: 'insufficient_funds', message: 'Insufficient funds.' },
    declinedAt: new Date().toISOString(),
  };
}

/** No PSP answered for the order. */
export function orderFailedPayload(payment: PaymentView, order: OrderView): object {
  return {
    ...orderFields(payment, order),
    failure: { code: 'psp_unavailable', message: 'No PSP answered.' },
    failedAt: new Date().toISOString(),
  };
}

/** The wallet credited the order's whole amount to its seller. */
export function walletCreditedPayload(payment: PaymentView, order: OrderView): object {
  return {
    sellerId: order.sellerId,
    paymentOrderId: order.id,
    paymentId: payment.id,
    amount: order.amount,
    balance: order.amount,
    creditedAt: new Date().toISOString(),
  };
}

/** The ledger recorded the order's charge as transaction `transactionId`. */
export function ledgerRecordedPayload(
  payment: PaymentView,
  order: OrderView,
  transactionId: string,
  kind = 'payment_order_charge',
): object {
  return {
    transactionId,
    paymentOrderId: order.id,
    paymentId: payment.id,
    kind,
    postings: [
      { accountId: 'psp-clearing.psp-a', direction: 'debit', amount: order.amount },
      { accountId: `seller-payable.${order.sellerId}`, direction: 'credit', amount: order.amount },
    ],
    recordedAt: new Date().toISOString(),
  };
}

export async function orderSucceeded(
  harness: PaymentHarness,
  payment: PaymentView,
  order: OrderView,
  merchantId: string,
): Promise<void> {
  await harness.send(
    TOPICS.paymentOrder,
    PAYMENT_ORDER_EVENT_TYPES.succeeded,
    orderSucceededPayload(payment, order, merchantId),
  );
}

export async function orderDeclined(
  harness: PaymentHarness,
  payment: PaymentView,
  order: OrderView,
): Promise<void> {
  await harness.send(
    TOPICS.paymentOrder,
    PAYMENT_ORDER_EVENT_TYPES.declined,
    orderDeclinedPayload(payment, order),
  );
}

export async function walletCredited(
  harness: PaymentHarness,
  payment: PaymentView,
  order: OrderView,
): Promise<void> {
  await harness.send(TOPICS.wallet, WALLET_EVENT_TYPES.credited, walletCreditedPayload(payment, order));
}

/** Returns the ledger transaction id. */
export async function ledgerRecorded(
  harness: PaymentHarness,
  payment: PaymentView,
  order: OrderView,
  kind = 'payment_order_charge',
): Promise<string> {
  const transactionId = `ltx-${randomUUID()}`;
  await harness.send(
    TOPICS.ledger,
    LEDGER_EVENT_TYPES.transactionRecorded,
    ledgerRecordedPayload(payment, order, transactionId, kind),
  );
  return transactionId;
}
