import { SeededRandom } from '@keel/seeded-random';
import { DEFAULT_CHECKOUT_MIX, WORKLOAD_SELLERS, planCheckouts } from './checkout-plan';

const MIX = { ...DEFAULT_CHECKOUT_MIX, ratePerSecond: 10, durationMs: 100_000 };

describe('planCheckouts', () => {
  it('gives the same checkouts for the same seed, and others for another seed', () => {
    const first = planCheckouts(new SeededRandom(42), MIX);
    expect(planCheckouts(new SeededRandom(42), MIX)).toEqual(first);
    expect(planCheckouts(new SeededRandom(43), MIX)).not.toEqual(first);
  });

  it('sends rate × duration checkouts on an evenly spaced open-loop schedule, each key once', () => {
    const plan = planCheckouts(new SeededRandom(1), MIX);
    expect(plan).toHaveLength(1_000);
    expect(plan[10]?.atMs).toBe(1_000);
    expect(new Set(plan.map((checkout) => checkout.idempotencyKey)).size).toBe(1_000);
    expect(plan.every((checkout) => checkout.body.checkoutId === checkout.idempotencyKey)).toBe(true);
  });

  it('mixes methods, currencies, tokens, multi-seller checkouts and concurrent duplicates', () => {
    const plan = planCheckouts(new SeededRandom(7), MIX);
    const share = (predicate: (checkout: (typeof plan)[number]) => boolean) =>
      plan.filter(predicate).length / plan.length;
    expect(new Set(plan.map((checkout) => checkout.body.paymentMethod.type))).toEqual(
      new Set(['card', 'easy_pay', 'bank_transfer']),
    );
    expect(share((checkout) => checkout.body.currency === 'USD')).toBeCloseTo(0.3, 1);
    expect(share((checkout) => checkout.body.paymentMethod.token === 'tok_approve')).toBeGreaterThan(0.7);
    expect(share((checkout) => checkout.body.paymentMethod.token.startsWith('tok_pending'))).toBeGreaterThan(
      0.05,
    );
    expect(share((checkout) => checkout.body.paymentMethod.token.startsWith('tok_decline'))).toBeGreaterThan(
      0.04,
    );
    expect(share((checkout) => checkout.body.orders.length > 1)).toBeCloseTo(0.3, 1);
    expect(share((checkout) => checkout.concurrentCopies > 1)).toBeCloseTo(0.1, 1);
  });

  it('never puts one seller twice in a checkout and keeps amounts positive whole minor units', () => {
    for (const checkout of planCheckouts(new SeededRandom(3), MIX)) {
      const sellers = checkout.body.orders.map((order) => order.sellerId);
      expect(new Set(sellers).size).toBe(sellers.length);
      expect(sellers.every((seller) => (WORKLOAD_SELLERS as readonly string[]).includes(seller))).toBe(true);
      expect(
        checkout.body.orders.every((order) => Number.isSafeInteger(order.amount) && order.amount > 0),
      ).toBe(true);
    }
  });
});
