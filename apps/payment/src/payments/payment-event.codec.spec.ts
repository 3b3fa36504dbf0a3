import { decide, RISK_APPROVED, type PaymentEvent } from '@keel/payment-domain';
import { decodeEvent, encodeEvent, StoredEventError } from './payment-event.codec';

const events: PaymentEvent[] = decide(undefined, {
  kind: 'RequestPayment',
  occurredAt: '2026-01-02T03:04:05.000Z',
  paymentId: 'pay_1',
  merchantId: 'm-1',
  checkoutId: 'c-1',
  buyer: { id: 'b-1', email: 'buyer@example.com' },
  paymentMethod: { type: 'easy_pay', provider: 'kakaopay', token: 'tok' },
  currency: 'KRW',
  orders: [
    {
      paymentOrderId: 'po_1',
      sellerId: 's-1',
      amountMinor: 9_007_199_254_740_993n,
      platformFeeMinor: 270_215_977_642_229n,
    },
  ],
  risk: RISK_APPROVED,
});

describe('payment event codec', () => {
  it('round-trips every event, bigint amounts included, through JSON', () => {
    for (const event of events) {
      const stored = encodeEvent(event);
      const throughJson = JSON.parse(JSON.stringify(stored.data)) as Record<string, unknown>;
      expect(decodeEvent(stored.type, throughJson)).toEqual(event);
    }
  });

  it('writes amounts as decimal strings and keeps the type out of the data', () => {
    const stored = encodeEvent(events[0] as PaymentEvent);
    expect(stored.type).toBe('PaymentRequested');
    expect(stored.data).not.toHaveProperty('type');
    expect(stored.data['orders']).toEqual([
      {
        paymentOrderId: 'po_1',
        sellerId: 's-1',
        amountMinor: '9007199254740993',
        platformFeeMinor: '270215977642229',
      },
    ]);
  });

  it('reads an order stored before fees were decided here without a fee', () => {
    const stored = { orders: [{ paymentOrderId: 'po_1', sellerId: 's-1', amountMinor: '100' }] };
    expect(decodeEvent('PaymentRequested', stored)).toMatchObject({
      orders: [{ paymentOrderId: 'po_1', sellerId: 's-1', amountMinor: 100n }],
    });
    expect(decodeEvent('PaymentRequested', stored)).not.toHaveProperty('orders.0.platformFeeMinor');
  });

  it('refuses an unknown type and a requested event without decimal amounts', () => {
    expect(() => decodeEvent('PaymentExploded', {})).toThrow(StoredEventError);
    expect(() => decodeEvent('PaymentRequested', { orders: [{ amountMinor: 5 }] })).toThrow(StoredEventError);
    expect(() => decodeEvent('PaymentRequested', {})).toThrow(StoredEventError);
    expect(() =>
      decodeEvent('PaymentRequested', { orders: [{ amountMinor: '5', platformFeeMinor: 1 }] }),
    ).toThrow(StoredEventError);
  });
});
