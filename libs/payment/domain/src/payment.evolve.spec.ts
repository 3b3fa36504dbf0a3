import { PaymentErrorCode } from './payment.error';
import type { PaymentEvent } from './payment.event';
import { evolve, fold } from './payment.evolve';
import {
  AT,
  declined,
  errorCodeOf,
  LATER,
  ledgerRecorded,
  requestPayment,
  run,
  succeeded,
  walletCredited,
} from './payment.fixture';
import type { PaymentState } from './payment.state';

function requestedOnly(): PaymentState {
  const events = run([requestPayment()]).events.slice(0, 1);
  const state = fold(events);
  if (state === undefined) throw new Error('no state');
  return state;
}

describe('evolve', () => {
  it('folds PaymentRequested into a processing payment of created orders with its total', () => {
    const state = requestedOnly();
    expect(state).toMatchObject({
      id: 'pay_1',
      merchantId: 'merchant-1',
      status: 'processing',
      amountMinor: 15_000n,
      version: 1,
      createdAt: AT,
    });
    expect(state.orders.map((order) => order.status)).toEqual(['created', 'created']);
    expect(state.history).toEqual([
      { version: 1, ordinal: 0, status: 'processing', occurredAt: AT },
      { version: 1, ordinal: 1, paymentOrderId: 'po_1', status: 'created', occurredAt: AT },
      { version: 1, ordinal: 2, paymentOrderId: 'po_2', status: 'created', occurredAt: AT },
    ]);
  });

  it('counts versions and records every status change of payment and orders with its time', () => {
    const { state } = run([
      requestPayment(),
      succeeded('po_1'),
      declined('po_2'),
      walletCredited('po_1'),
      ledgerRecorded('po_1'),
    ]);
    expect(state?.version).toBe(8);
    expect(
      state?.history.slice(3).map((change) => [change.version, change.paymentOrderId, change.status]),
    ).toEqual([
      [2, 'po_1', 'executing'],
      [3, 'po_2', 'executing'],
      [4, 'po_1', 'succeeded'],
      [5, 'po_2', 'declined'],
      [8, undefined, 'partially_failed'],
    ]);
    expect(state?.history.at(-1)?.occurredAt).toBe(LATER);
    expect(state?.orders[0]).toMatchObject({
      charge: { pspId: 'psp-a', pspReference: 'ref-po_1' },
      walletCreditedAt: LATER,
      ledgerTransactionId: 'ltx-po_1',
    });
    expect(state?.orders[1]?.failure).toEqual({ code: 'insufficient_funds', message: 'Declined.' });
  });

  it('refuses an event before PaymentRequested and a second PaymentRequested', () => {
    const succeededEvent: PaymentEvent = {
      type: 'OrderSucceeded',
      occurredAt: AT,
      paymentOrderId: 'po_1',
      pspId: 'psp-a',
      pspReference: 'r',
    };
    expect(errorCodeOf(() => evolve(undefined, succeededEvent))).toBe(PaymentErrorCode.PaymentNotFound);
    const requested = run([requestPayment()]).events[0] as PaymentEvent;
    expect(errorCodeOf(() => evolve(requestedOnly(), requested))).toBe(PaymentErrorCode.PaymentAlreadyExists);
  });

  it.each<[string, PaymentEvent]>([
    [
      'an outcome of an order not yet executing',
      { type: 'OrderDeclined', occurredAt: AT, paymentOrderId: 'po_1', code: 'x', message: 'x' },
    ],
    [
      'an unknown outcome of an order not yet executing',
      { type: 'OrderOutcomeUnknown', occurredAt: AT, paymentOrderId: 'po_1' },
    ],
    [
      'a wallet credit of an order not yet executing',
      { type: 'OrderCreditedToWallet', occurredAt: AT, paymentOrderId: 'po_1' },
    ],
    ['completion while orders are open', { type: 'PaymentCompleted', occurredAt: AT }],
    ['partial failure while orders are open', { type: 'PaymentPartiallyFailed', occurredAt: AT }],
    ['failure while orders are open', { type: 'PaymentFailed', occurredAt: AT, code: 'x', message: 'x' }],
  ])('refuses %s', (_name, event) => {
    expect(errorCodeOf(() => evolve(requestedOnly(), event))).toBe(PaymentErrorCode.IllegalTransition);
  });

  it('refuses an event for an order the payment does not hold', () => {
    const event: PaymentEvent = { type: 'OrderExecutionRequested', occurredAt: AT, paymentOrderId: 'po_9' };
    expect(errorCodeOf(() => evolve(requestedOnly(), event))).toBe(PaymentErrorCode.PaymentOrderNotFound);
  });

  it('refuses a second execution request, a second credit and the risk check after execution', () => {
    const executing = run([requestPayment()]).state;
    const again: PaymentEvent = { type: 'OrderExecutionRequested', occurredAt: AT, paymentOrderId: 'po_1' };
    expect(errorCodeOf(() => evolve(executing, again))).toBe(PaymentErrorCode.IllegalTransition);
    const credited = run([walletCredited('po_1')], run([requestPayment()])).state;
    const credit: PaymentEvent = { type: 'OrderCreditedToWallet', occurredAt: AT, paymentOrderId: 'po_1' };
    expect(errorCodeOf(() => evolve(credited, credit))).toBe(PaymentErrorCode.IllegalTransition);
    const risk: PaymentEvent = {
      type: 'PaymentRiskRejected',
      occurredAt: AT,
      reason: 'blocked_buyer',
      detail: 'x',
    };
    expect(errorCodeOf(() => evolve(executing, risk))).toBe(PaymentErrorCode.IllegalTransition);
  });

  it('refuses completion when a charged order lacks a confirmation, and any step after a terminal status', () => {
    const charged = run([
      requestPayment(),
      succeeded('po_1'),
      succeeded('po_2'),
      walletCredited('po_1'),
      walletCredited('po_2'),
      ledgerRecorded('po_1'),
    ]);
    const completed: PaymentEvent = { type: 'PaymentCompleted', occurredAt: AT };
    expect(errorCodeOf(() => evolve(charged.state, completed))).toBe(PaymentErrorCode.IllegalTransition);
    const done = run([ledgerRecorded('po_2')], charged);
    expect(done.state?.status).toBe('completed');
    expect(errorCodeOf(() => evolve(done.state, completed))).toBe(PaymentErrorCode.IllegalTransition);
  });

  it('refuses a stream whose PaymentRequested breaks the intake rules', () => {
    const requested = run([requestPayment()]).events[0];
    const broken = { ...requested, orders: [] } as PaymentEvent;
    expect(errorCodeOf(() => evolve(undefined, broken))).toBe(PaymentErrorCode.InvalidPayment);
  });

  it('folds an empty stream to no payment', () => {
    expect(fold([])).toBeUndefined();
  });
});
