import { PaymentOrderError } from './payment-order.error';
import {
  assertValidRoutingTable,
  chooseRoute,
  DEFAULT_ROUTING_TABLE,
  type RoutingTable,
} from './payment-order-routing';

describe('chooseRoute', () => {
  it('routes each method to its one PSP in the default table; mobile has none', () => {
    expect(chooseRoute('card', DEFAULT_ROUTING_TABLE)).toEqual({ kind: 'psp', pspId: 'acme' });
    expect(chooseRoute('easy_pay', DEFAULT_ROUTING_TABLE)).toEqual({ kind: 'psp', pspId: 'swiftpay' });
    expect(chooseRoute('bank_transfer', DEFAULT_ROUTING_TABLE)).toEqual({ kind: 'psp', pspId: 'nova' });
    expect(chooseRoute('mobile', DEFAULT_ROUTING_TABLE)).toEqual({ kind: 'unavailable' });
  });

  const weighted: RoutingTable = {
    ...DEFAULT_ROUTING_TABLE,
    card: [
      { pspId: 'acme', weight: 70 },
      { pspId: 'nova', weight: 30 },
      { pspId: 'off', weight: 0 },
    ],
  };

  it('picks by weight and never a PSP of weight 0', () => {
    expect(chooseRoute('card', weighted, () => 0)).toEqual({ kind: 'psp', pspId: 'acme' });
    expect(chooseRoute('card', weighted, () => 0.69)).toEqual({ kind: 'psp', pspId: 'acme' });
    expect(chooseRoute('card', weighted, () => 0.7)).toEqual({ kind: 'psp', pspId: 'nova' });
    expect(chooseRoute('card', weighted, () => 0.999999)).toEqual({ kind: 'psp', pspId: 'nova' });
  });

  it('finds no route when every weight is 0', () => {
    const allOff: RoutingTable = { ...DEFAULT_ROUTING_TABLE, card: [{ pspId: 'acme', weight: 0 }] };
    expect(chooseRoute('card', allOff)).toEqual({ kind: 'unavailable' });
  });

  it('refuses negative or fractional weights', () => {
    expect(() => assertValidRoutingTable(weighted)).not.toThrow();
    for (const weight of [-1, 0.5, Number.NaN]) {
      expect(() =>
        assertValidRoutingTable({ ...DEFAULT_ROUTING_TABLE, card: [{ pspId: 'acme', weight }] }),
      ).toThrow(PaymentOrderError);
    }
  });
});
