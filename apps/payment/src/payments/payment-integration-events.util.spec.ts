import { PAYMENT_EVENT_TYPES, PAYMENT_ORDER_EVENT_TYPES } from '@keel/contracts';
import {
  decide,
  evolve,
  RISK_APPROVED,
  type PaymentCommand,
  type PaymentEvent,
  type PaymentState,
  type RequestPayment,
} from '@keel/payment-domain';
import { integrationEventsOf } from './payment-integration-events.util';

const request: RequestPayment = {
  kind: 'RequestPayment',
  occurredAt: '2026-01-02T03:04:05.000Z',
  paymentId: 'pay_1',
  merchantId: 'm-1',
  checkoutId: 'checkout-1',
  buyer: { id: 'b-1' },
  paymentMethod: { type: 'card', issuer: 'shinhan', token: 'tok_1' },
  currency: 'KRW',
  orders: [
    { paymentOrderId: 'po_1', sellerId: 's-1', amountMinor: 100n, platformFeeMinor: 3n },
    { paymentOrderId: 'po_2', sellerId: 's-2', amountMinor: 50n, platformFeeMinor: 0n },
  ],
  risk: RISK_APPROVED,
};

function step(state: PaymentState | undefined, command: PaymentCommand): [PaymentState, PaymentEvent[]] {
  const events = decide(state, command);
  const after = events.reduce<PaymentState | undefined>(evolve, state);
  if (after === undefined) throw new Error('no state');
  return [after, events];
}

const at = '2026-01-02T03:05:00.000Z';

describe('integrationEventsOf', () => {
  it('announces an accepted payment once, then asks for each order to be charged', () => {
    const [state, events] = step(undefined, request);
    const envelopes = integrationEventsOf(state, events);
    expect(envelopes.map((envelope) => [envelope.type, envelope.subject])).toEqual([
      [PAYMENT_EVENT_TYPES.requested, 'pay_1'],
      [PAYMENT_ORDER_EVENT_TYPES.executionRequested, 'po_1'],
      [PAYMENT_ORDER_EVENT_TYPES.executionRequested, 'po_2'],
    ]);
    expect(envelopes[1]?.data).toMatchObject({
      instrumentToken: 'tok_1',
      amount: { amountMinor: '100', currency: 'KRW' },
      platformFee: { amountMinor: '3', currency: 'KRW' },
    });
    expect(envelopes[2]?.data).toMatchObject({ platformFee: { amountMinor: '0', currency: 'KRW' } });
  });

  it('asks for an order accepted before fees were decided here without a fee', () => {
    const [state, events] = step(undefined, {
      ...request,
      orders: [{ paymentOrderId: 'po_1', sellerId: 's-1', amountMinor: 100n }],
    });
    const [, executionRequested] = integrationEventsOf(state, events);
    expect(executionRequested?.data).not.toHaveProperty('platformFee');
  });

  it('publishes only the failure of a risk-rejected payment', () => {
    const [state, events] = step(undefined, {
      ...request,
      risk: { approved: false, reason: 'blocked_buyer', detail: 'Blocked.' },
    });
    const envelopes = integrationEventsOf(state, events);
    expect(envelopes.map((envelope) => envelope.type)).toEqual([PAYMENT_EVENT_TYPES.failed]);
    expect(envelopes[0]?.data).toMatchObject({
      failure: { code: 'blocked_buyer', message: 'Blocked.' },
      paymentOrders: [
        { paymentOrderId: 'po_1', failure: { code: 'risk_rejected' } },
        { paymentOrderId: 'po_2', failure: { code: 'risk_rejected' } },
      ],
    });
  });

  it('publishes partially_failed with the charged and the refused orders, and nothing for other steps', () => {
    let [state] = step(undefined, request);
    const commands: PaymentCommand[] = [
      {
        kind: 'RecordOrderDeclined',
        occurredAt: at,
        paymentOrderId: 'po_2',
        code: 'do_not_honor',
        message: 'No.',
      },
      {
        kind: 'RecordOrderSucceeded',
        occurredAt: at,
        paymentOrderId: 'po_1',
        sellerId: 's-1',
        amountMinor: 100n,
        currency: 'KRW',
        pspId: 'psp-a',
        pspReference: 'r1',
      },
      {
        kind: 'RecordWalletCredit',
        occurredAt: at,
        paymentOrderId: 'po_1',
        sellerId: 's-1',
        amountMinor: 100n,
        currency: 'KRW',
      },
    ];
    for (const command of commands) {
      const [after, events] = step(state, command);
      expect(integrationEventsOf(after, events)).toEqual([]);
      state = after;
    }
    const [finished, events] = step(state, {
      kind: 'RecordLedgerTransaction',
      occurredAt: at,
      paymentOrderId: 'po_1',
      ledgerTransactionId: 'l1',
    });
    const [envelope] = integrationEventsOf(finished, events);
    expect(envelope?.type).toBe(PAYMENT_EVENT_TYPES.partiallyFailed);
    expect(envelope?.time).toBe(at);
    expect(envelope?.data).toMatchObject({
      succeededOrders: [{ paymentOrderId: 'po_1', pspId: 'psp-a', pspReference: 'r1' }],
      failedOrders: [{ paymentOrderId: 'po_2', failure: { code: 'do_not_honor', message: 'No.' } }],
      finishedAt: at,
    });
  });
});
