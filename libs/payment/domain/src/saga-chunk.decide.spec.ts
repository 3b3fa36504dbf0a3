import type { PaymentCommand } from './payment.command';
import { decide } from './payment.decide';
import { fold } from './payment.evolve';
import type { PaymentState } from './payment.state';
import { RISK_APPROVED } from './risk/risk-reason';
import {
  changedOrdersOf,
  decideChunk,
  SagaCommandRejectedError,
  type SagaCommand,
} from './saga-chunk.decide';

const AT = '2026-01-02T03:04:05.000Z';

function stored(paymentId: string): PaymentState {
  const state = fold(
    decide(undefined, {
      kind: 'RequestPayment',
      occurredAt: AT,
      paymentId,
      merchantId: 'merchant-1',
      checkoutId: `checkout-${paymentId}`,
      buyer: { id: 'buyer-1' },
      paymentMethod: { type: 'card', issuer: 'shinhan', token: 'tok_1' },
      currency: 'KRW',
      orders: [{ paymentOrderId: `${paymentId}-po`, sellerId: 'seller-1', amountMinor: 1_000n }],
      risk: RISK_APPROVED,
    }),
  );
  if (state === undefined) throw new Error('a state expected');
  return state;
}

let eventIds = 0;

function command(
  paymentId: string,
  kind: 'succeeded' | 'credited' | 'recorded',
  amountMinor = 1_000n,
): SagaCommand {
  const paymentOrderId = `${paymentId}-po`;
  const commands: Record<typeof kind, PaymentCommand> = {
    succeeded: {
      kind: 'RecordOrderSucceeded',
      occurredAt: AT,
      paymentOrderId,
      sellerId: 'seller-1',
      amountMinor,
      currency: 'KRW',
      pspId: 'psp-a',
      pspReference: 'ref-1',
    },
    credited: {
      kind: 'RecordWalletCredit',
      occurredAt: AT,
      paymentOrderId,
      sellerId: 'seller-1',
      amountMinor,
      currency: 'KRW',
    },
    recorded: {
      kind: 'RecordLedgerTransaction',
      occurredAt: AT,
      paymentOrderId,
      ledgerTransactionId: 'ltx-1',
    },
  };
  eventIds += 1;
  return {
    eventId: `event-${eventIds}`,
    paymentId,
    command: commands[kind],
    expectedMerchantId: 'merchant-1',
  };
}

function rejection(run: () => unknown): SagaCommandRejectedError {
  try {
    run();
  } catch (error) {
    if (error instanceof SagaCommandRejectedError) return error;
    throw error;
  }
  throw new Error('a SagaCommandRejectedError expected');
}

describe('deciding a chunk', () => {
  it('folds several commands on one payment in order, into one change from its stored state', () => {
    const states = new Map([
      ['pay_a', stored('pay_a')],
      ['pay_b', stored('pay_b')],
    ]);
    const chunk = [
      command('pay_a', 'succeeded'),
      command('pay_b', 'credited'),
      command('pay_a', 'credited'),
      command('pay_a', 'recorded'),
    ];
    const { changes, effects } = decideChunk(states, chunk);
    const change = changes.get('pay_a');
    expect(change?.before.version).toBe(2);
    expect(change?.events.map((event) => event.type)).toEqual([
      'OrderSucceeded',
      'OrderCreditedToWallet',
      'OrderRecordedInLedger',
      'PaymentCompleted',
    ]);
    expect(change?.after.status).toBe('completed');
    expect(change && changedOrdersOf(change).map((order) => order.status)).toEqual(['succeeded']);
    expect(changes.get('pay_b')?.after.status).toBe('processing');
    expect(effects.map((effect) => effect.cause.eventId)).toEqual(chunk.map((one) => one.eventId));
  });

  it('has no effect for a fact it already decided in the same chunk', () => {
    const states = new Map([['pay_a', stored('pay_a')]]);
    const { changes, effects } = decideChunk(states, [
      command('pay_a', 'credited'),
      command('pay_a', 'credited'),
    ]);
    expect(changes.get('pay_a')?.events).toHaveLength(1);
    expect(effects).toHaveLength(1);
  });

  it.each<[string, () => SagaCommand]>([
    ['an unknown payment', () => command('pay_unknown', 'succeeded')],
    ['a mismatched amount', () => command('pay_a', 'succeeded', 999n)],
    ['another merchant', () => ({ ...command('pay_a', 'succeeded'), expectedMerchantId: 'merchant-2' })],
  ])('names the event of %s, whatever comes before it', (_name, poisonOf) => {
    const states = new Map([['pay_a', stored('pay_a')]]);
    const poison = poisonOf();
    const error = rejection(() => decideChunk(states, [command('pay_a', 'credited'), poison]));
    expect(error.eventId).toBe(poison.eventId);
  });
});
