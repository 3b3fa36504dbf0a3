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

export async function orderSucceeded(
  harness: PaymentHarness,
  payment: PaymentView,
  order: OrderView,
  merchantId: string,
): Promise<void> {
  await harness.send(TOPICS.paymentOrder, PAYMENT_ORDER_EVENT_TYPES.succeeded, {
    ...orderFields(payment, order),
    merchantId,
    pspId: 'psp-a',
    pspReference: `ref-${order.id}`,
    succeededAt: new Date().toISOString(),
  });
}

export async function orderDeclined(
  harness: PaymentHarness,
  payment: PaymentView,
  order: OrderView,
): Promise<void> {
  await harness.send(TOPICS.paymentOrder, PAYMENT_ORDER_EVENT_TYPES.declined, {
    ...orderFields(payment, order),
    pspId: 'psp-a',
    decline: { code: 'insufficient_funds', message: 'Insufficient funds.' },
    declinedAt: new Date().toISOString(),
  });
}

export async function walletCredited(
  harness: PaymentHarness,
  payment: PaymentView,
  order: OrderView,
): Promise<void> {
  await harness.send(TOPICS.wallet, WALLET_EVENT_TYPES.credited, {
    sellerId: order.sellerId,
    paymentOrderId: order.id,
    paymentId: payment.id,
    amount: order.amount,
    balance: order.amount,
    creditedAt: new Date().toISOString(),
  });
}

/** Returns the ledger transaction id. */
export async function ledgerRecorded(
  harness: PaymentHarness,
  payment: PaymentView,
  order: OrderView,
  kind = 'payment_order_charge',
): Promise<string> {
  const transactionId = `ltx-${randomUUID()}`;
  await harness.send(TOPICS.ledger, LEDGER_EVENT_TYPES.transactionRecorded, {
    transactionId,
    paymentOrderId: order.id,
    paymentId: payment.id,
    kind,
    postings: [
      { accountId: 'psp-clearing.psp-a', direction: 'debit', amount: order.amount },
      { accountId: `seller-payable.${order.sellerId}`, direction: 'credit', amount: order.amount },
    ],
    recordedAt: new Date().toISOString(),
  });
  return transactionId;
}
