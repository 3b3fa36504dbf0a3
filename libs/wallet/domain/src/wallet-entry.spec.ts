import { Money } from '@keel/money';
import { assertSamePaymentOrder, isWalletEntryKind, type PaymentOrderFacts } from './wallet-entry';
import { WalletErrorCode } from './wallet.error';

const conflicting = expect.objectContaining({
  name: 'WalletError',
  code: WalletErrorCode.CONFLICTING_CREDIT,
});
const credited: PaymentOrderFacts = {
  paymentOrderId: 'po-1',
  paymentId: 'pay-1',
  merchantId: 'merchant-1',
  sellerId: 'seller-1',
  gross: Money.of(10_000n, 'KRW'),
  fee: Money.of(250n, 'KRW'),
};

describe('assertSamePaymentOrder', () => {
  it('accepts a delivery that repeats the credited facts', () => {
    expect(() =>
      assertSamePaymentOrder(credited, { ...credited, gross: Money.of(10_000n, 'KRW') }),
    ).not.toThrow();
  });

  it.each<[string, Partial<PaymentOrderFacts>]>([
    ['another seller', { sellerId: 'seller-2' }],
    ['the seller of another merchant', { merchantId: 'merchant-2' }],
    ['another payment', { paymentId: 'pay-2' }],
    ['another amount', { gross: Money.of(10_001n, 'KRW') }],
    ['another currency', { gross: Money.of(10_000n, 'JPY') }],
    ['another fee', { fee: Money.of(249n, 'KRW') }],
    ['a fee in another currency', { fee: Money.of(250n, 'JPY') }],
  ])('refuses a delivery naming %s', (_case, change) => {
    expect(() => assertSamePaymentOrder(credited, { ...credited, ...change })).toThrow(conflicting);
  });
});

describe('isWalletEntryKind', () => {
  it('knows the payment order credit and nothing else', () => {
    expect(isWalletEntryKind('payment_order_credit')).toBe(true);
    expect(isWalletEntryKind('payout')).toBe(false);
    expect(isWalletEntryKind(1)).toBe(false);
  });
});
