import { decide } from './payment.decide';
import { PaymentErrorCode } from './payment.error';
import { fold } from './payment.evolve';
import {
  declined,
  errorCodeOf,
  failed,
  ledgerRecorded,
  requestPayment,
  run,
  succeeded,
  typesOf,
  walletCredited,
} from './payment.fixture';
import type { PaymentCommand } from './payment.command';
import type { PaymentState } from './payment.state';

function accepted(): PaymentState | undefined {
  return run([requestPayment()]).state;
}

describe('decide: intake', () => {
  it('requests the payment and the execution of every order when the risk check approves', () => {
    const events = decide(undefined, requestPayment());
    expect(typesOf(events)).toEqual([
      'PaymentRequested',
      'OrderExecutionRequested',
      'OrderExecutionRequested',
    ]);
    expect(events[1]).toMatchObject({ paymentOrderId: 'po_1' });
    expect(events[2]).toMatchObject({ paymentOrderId: 'po_2' });
  });

  it('fails a rejected payment at once with the risk reason and requests no execution', () => {
    const command = requestPayment({
      risk: { approved: false, reason: 'velocity_exceeded', detail: 'Too many payments.' },
    });
    const events = decide(undefined, command);
    expect(typesOf(events)).toEqual(['PaymentRequested', 'PaymentRiskRejected', 'PaymentFailed']);
    expect(events[2]).toMatchObject({ code: 'velocity_exceeded', message: 'Too many payments.' });
    const state = fold(events);
    expect(state?.status).toBe('failed');
    expect(state?.failure).toEqual({ code: 'velocity_exceeded', message: 'Too many payments.' });
    expect(state?.orders.map((order) => [order.status, order.failure?.code])).toEqual([
      ['failed', 'risk_rejected'],
      ['failed', 'risk_rejected'],
    ]);
  });

  it('refuses a second request for the same payment', () => {
    expect(errorCodeOf(() => decide(accepted(), requestPayment()))).toBe(
      PaymentErrorCode.PaymentAlreadyExists,
    );
  });

  it.each([
    ['no orders', { orders: [] }],
    [
      'one seller twice',
      {
        orders: [
          { paymentOrderId: 'po_1', sellerId: 'seller-1', amountMinor: 1n },
          { paymentOrderId: 'po_2', sellerId: 'seller-1', amountMinor: 1n },
        ],
      },
    ],
    [
      'an order id twice',
      {
        orders: [
          { paymentOrderId: 'po_1', sellerId: 'seller-1', amountMinor: 1n },
          { paymentOrderId: 'po_1', sellerId: 'seller-2', amountMinor: 1n },
        ],
      },
    ],
    ['a zero amount', { orders: [{ paymentOrderId: 'po_1', sellerId: 'seller-1', amountMinor: 0n }] }],
    ['a negative amount', { orders: [{ paymentOrderId: 'po_1', sellerId: 'seller-1', amountMinor: -5n }] }],
    [
      'a total beyond 2^63 - 1',
      {
        orders: [
          { paymentOrderId: 'po_1', sellerId: 'seller-1', amountMinor: 2n ** 62n },
          { paymentOrderId: 'po_2', sellerId: 'seller-2', amountMinor: 2n ** 62n },
        ],
      },
    ],
    ['an unknown currency', { currency: 'XYZ' }],
    [
      'a negative platform fee',
      {
        orders: [{ paymentOrderId: 'po_1', sellerId: 'seller-1', amountMinor: 100n, platformFeeMinor: -1n }],
      },
    ],
    [
      'a platform fee of the whole amount',
      {
        orders: [{ paymentOrderId: 'po_1', sellerId: 'seller-1', amountMinor: 100n, platformFeeMinor: 100n }],
      },
    ],
  ])('refuses a payment with %s', (_name, overrides) => {
    expect(errorCodeOf(() => decide(undefined, requestPayment(overrides)))).toBe(
      PaymentErrorCode.InvalidPayment,
    );
  });

  it('keeps each order’s platform fee, from zero to one minor unit below its amount', () => {
    const orders = [
      { paymentOrderId: 'po_1', sellerId: 'seller-1', amountMinor: 100n, platformFeeMinor: 99n },
      { paymentOrderId: 'po_2', sellerId: 'seller-2', amountMinor: 100n, platformFeeMinor: 0n },
    ];
    const state = fold(decide(undefined, requestPayment({ orders })));
    expect(state?.orders.map((order) => order.platformFeeMinor)).toEqual([99n, 0n]);
  });

  it('accepts a total of exactly 2^63 - 1', () => {
    const orders = [
      { paymentOrderId: 'po_1', sellerId: 'seller-1', amountMinor: 2n ** 62n },
      { paymentOrderId: 'po_2', sellerId: 'seller-2', amountMinor: 2n ** 62n - 1n },
    ];
    expect(fold(decide(undefined, requestPayment({ orders })))?.amountMinor).toBe(2n ** 63n - 1n);
  });
});

describe('decide: completion', () => {
  it('completes only when every order succeeded and each is confirmed by wallet AND ledger', () => {
    const charged = run([requestPayment(), succeeded('po_1'), succeeded('po_2')]);
    expect(charged.state?.status).toBe('processing');
    const almost = run([walletCredited('po_1'), ledgerRecorded('po_1'), walletCredited('po_2')], charged);
    expect(almost.state?.status).toBe('processing');
    const done = run([ledgerRecorded('po_2')], almost);
    expect(typesOf(done.last)).toEqual(['OrderRecordedInLedger', 'PaymentCompleted']);
    expect(done.state?.status).toBe('completed');
  });

  it('completes when the confirmations arrive before the outcomes they confirm', () => {
    const result = run([
      requestPayment(),
      ledgerRecorded('po_2'),
      walletCredited('po_1'),
      walletCredited('po_2'),
      ledgerRecorded('po_1'),
      succeeded('po_2'),
    ]);
    expect(result.state?.status).toBe('processing');
    const done = run([succeeded('po_1')], result);
    expect(typesOf(done.last)).toEqual(['OrderSucceeded', 'PaymentCompleted']);
  });

  it('ends partially_failed when some orders were charged (and confirmed) and the others declined', () => {
    const waiting = run([requestPayment(), succeeded('po_1'), declined('po_2')]);
    expect(waiting.state?.status).toBe('processing');
    const done = run([walletCredited('po_1'), ledgerRecorded('po_1')], waiting);
    expect(typesOf(done.last)).toEqual(['OrderRecordedInLedger', 'PaymentPartiallyFailed']);
    expect(done.state?.status).toBe('partially_failed');
  });

  it('ends partially_failed when the failed order is the last outcome to arrive', () => {
    const result = run([requestPayment(), succeeded('po_1'), walletCredited('po_1'), ledgerRecorded('po_1')]);
    expect(result.state?.status).toBe('processing');
    expect(typesOf(run([failed('po_2')], result).last)).toEqual(['OrderFailed', 'PaymentPartiallyFailed']);
  });

  it('fails with "declined" when every order was declined', () => {
    const result = run([requestPayment(), declined('po_1'), declined('po_2')]);
    expect(typesOf(result.last)).toEqual(['OrderDeclined', 'PaymentFailed']);
    expect(result.state?.failure?.code).toBe('declined');
  });

  it('fails with "payment_orders_failed" when no order was charged and one failed technically', () => {
    const result = run([requestPayment(), declined('po_1'), failed('po_2')]);
    expect(result.state?.status).toBe('failed');
    expect(result.state?.failure?.code).toBe('payment_orders_failed');
  });
});

describe('decide: repeated and contradicting facts', () => {
  const charged = (): ReturnType<typeof run> => run([requestPayment(), succeeded('po_1')]);

  it.each<[string, PaymentCommand]>([
    ['the same charge', succeeded('po_1')],
    ['the same wallet credit', walletCredited('po_1')],
    ['the same ledger transaction', ledgerRecorded('po_1')],
  ])('records nothing for %s reported twice', (_name, command) => {
    const once = run([command], charged());
    expect(run([command], once).last).toEqual([]);
  });

  it('records nothing for the same decline reported twice', () => {
    const once = run([requestPayment(), declined('po_2')]);
    expect(run([declined('po_2')], once).last).toEqual([]);
  });

  it.each<[string, PaymentCommand[], PaymentCommand]>([
    ['a second charge with another reference', [], succeeded('po_1', 'other-ref')],
    ['a decline after the charge', [], declined('po_1')],
    ['a failure after the charge', [], failed('po_1')],
    ['a second ledger transaction', [ledgerRecorded('po_1')], ledgerRecorded('po_1', 'ltx-other')],
  ])('refuses %s as a conflicting outcome', (_name, before, command) => {
    const state = run(before, charged()).state;
    expect(errorCodeOf(() => decide(state, command))).toBe(PaymentErrorCode.ConflictingOutcome);
  });

  it.each<[string, PaymentCommand]>([
    ['a charge', succeeded('po_2')],
    ['a wallet credit', walletCredited('po_2')],
    ['a ledger transaction', ledgerRecorded('po_2')],
    ['a failure', failed('po_2')],
  ])('refuses %s for a declined order', (_name, command) => {
    const state = run([requestPayment(), declined('po_2')]).state;
    expect(errorCodeOf(() => decide(state, command))).toBe(PaymentErrorCode.ConflictingOutcome);
  });

  it('refuses a decline for an order whose charge was already credited', () => {
    const state = run([requestPayment(), walletCredited('po_1')]).state;
    expect(errorCodeOf(() => decide(state, declined('po_1')))).toBe(PaymentErrorCode.ConflictingOutcome);
  });

  it('refuses a charge or a wallet credit for another seller, amount or currency', () => {
    const state = accepted();
    const commands = [
      { ...walletCredited('po_1'), amountMinor: 10_001n },
      { ...walletCredited('po_1'), amountMinor: 0n },
      { ...walletCredited('po_1'), sellerId: 'seller-2' },
      { ...walletCredited('po_1'), currency: 'USD' },
      { ...succeeded('po_1'), amountMinor: 9_999n },
      { ...succeeded('po_1'), sellerId: 'seller-2' },
      { ...succeeded('po_1'), currency: 'USD' },
    ] as PaymentCommand[];
    for (const command of commands) {
      expect(errorCodeOf(() => decide(state, command))).toBe(PaymentErrorCode.ConfirmationMismatch);
    }
  });

  it('accepts a wallet credit of the seller share net of the platform fee', () => {
    const netOfFee = { ...walletCredited('po_1'), amountMinor: 9_750n } as PaymentCommand;
    expect(typesOf(decide(accepted(), netOfFee))).toEqual(['OrderCreditedToWallet']);
  });

  it('refuses facts about unknown payments and orders', () => {
    expect(errorCodeOf(() => decide(undefined, succeeded('po_1')))).toBe(PaymentErrorCode.PaymentNotFound);
    expect(errorCodeOf(() => decide(accepted(), ledgerRecorded('po_9')))).toBe(
      PaymentErrorCode.PaymentOrderNotFound,
    );
  });

  it('refuses outcomes for orders of a risk-rejected payment, which were never executed', () => {
    const rejected = run([
      requestPayment({ risk: { approved: false, reason: 'blocked_buyer', detail: 'Blocked.' } }),
    ]).state;
    expect(errorCodeOf(() => decide(rejected, succeeded('po_1')))).toBe(PaymentErrorCode.ConflictingOutcome);
  });
});

describe('decide: unknown outcomes', () => {
  const unknown = (paymentOrderId: string): PaymentCommand => ({
    kind: 'RecordOrderOutcomeUnknown',
    occurredAt: '2026-01-02T03:04:30.000Z',
    paymentOrderId,
  });

  it('moves an executing order to unknown and accepts its later outcome', () => {
    const result = run([requestPayment(), unknown('po_1')]);
    expect(result.state?.orders[0]?.status).toBe('unknown');
    expect(run([succeeded('po_1')], result).state?.orders[0]?.status).toBe('succeeded');
  });

  it('ignores an unknown outcome reported after the order already has one', () => {
    const result = run([requestPayment(), declined('po_1')]);
    expect(run([unknown('po_1')], result).last).toEqual([]);
  });

  it('refuses an unknown outcome for an order that was never executed', () => {
    const rejected = run([
      requestPayment({ risk: { approved: false, reason: 'blocked_buyer', detail: 'Blocked.' } }),
    ]).state;
    const created =
      rejected === undefined
        ? undefined
        : { ...rejected, orders: rejected.orders.map((o) => ({ ...o, status: 'created' as const })) };
    expect(errorCodeOf(() => decide(created, unknown('po_1')))).toBe(PaymentErrorCode.IllegalTransition);
  });
});
