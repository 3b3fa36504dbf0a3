/** A realistic mix of checkouts: several sellers, every method, and some declines. */
export interface DemoCheckout {
  label: string;
  currency: string;
  paymentMethod: Record<string, string>;
  orders: { sellerId: string; amount: number }[];
}

const card = (token: string, issuer = 'shinhan') => ({ type: 'card', token, issuer });

export const DEMO_CHECKOUTS: readonly DemoCheckout[] = [
  {
    label: 'card, two sellers',
    currency: 'KRW',
    paymentMethod: card('tok_approve'),
    orders: [
      { sellerId: 'seller_bakery', amount: 12_000 },
      { sellerId: 'seller_florist', amount: 35_500 },
    ],
  },
  {
    label: 'card, three sellers',
    currency: 'KRW',
    paymentMethod: card('tok_approve', 'kb'),
    orders: [
      { sellerId: 'seller_bakery', amount: 4_500 },
      { sellerId: 'seller_books', amount: 18_900 },
      { sellerId: 'seller_florist', amount: 22_000 },
    ],
  },
  {
    label: 'easy pay',
    currency: 'KRW',
    paymentMethod: { type: 'easy_pay', provider: 'kakaopay', token: 'tok_approve' },
    orders: [{ sellerId: 'seller_books', amount: 27_000 }],
  },
  {
    label: 'bank transfer',
    currency: 'KRW',
    paymentMethod: { type: 'bank_transfer', bank: 'woori', token: 'tok_approve' },
    orders: [{ sellerId: 'seller_bakery', amount: 64_000 }],
  },
  {
    label: 'card declined: insufficient funds',
    currency: 'KRW',
    paymentMethod: card('tok_decline_insufficient_funds'),
    orders: [{ sellerId: 'seller_florist', amount: 99_000 }],
  },
  {
    label: 'card declined: expired card',
    currency: 'KRW',
    paymentMethod: card('tok_decline_expired_card', 'hyundai'),
    orders: [
      { sellerId: 'seller_books', amount: 15_000 },
      { sellerId: 'seller_bakery', amount: 3_000 },
    ],
  },
  {
    label: 'card in dollars',
    currency: 'USD',
    paymentMethod: card('tok_approve', 'visa'),
    orders: [
      { sellerId: 'seller_books', amount: 4_999 },
      { sellerId: 'seller_florist', amount: 1_250 },
    ],
  },
];
