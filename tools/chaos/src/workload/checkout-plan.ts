import type { SeededRandom } from '@keel/seeded-random';

/** What the generator buys with: every method the executor routes, in currencies Keel supports. */
export const WORKLOAD_MERCHANTS = ['merchant_chaos_a', 'merchant_chaos_b', 'merchant_chaos_c'] as const;
export const WORKLOAD_SELLERS = [
  'seller_chaos_1',
  'seller_chaos_2',
  'seller_chaos_3',
  'seller_chaos_4',
  'seller_chaos_5',
  'seller_chaos_6',
  'seller_chaos_7',
  'seller_chaos_8',
] as const;

const CARD_ISSUERS = ['shinhan', 'kb', 'hyundai'] as const;
const EASY_PAY_PROVIDERS = ['kakaopay', 'naverpay'] as const;
const BANKS = ['kb', 'shinhan'] as const;
const DECLINE_TOKENS = [
  'tok_decline_insufficient_funds',
  'tok_decline_invalid_card',
  'tok_decline_expired_card',
  'tok_decline_do_not_honor',
] as const;
/** Amount ranges in minor units: KRW has no minor unit, USD has cents. */
const AMOUNT_RANGES_MINOR = { KRW: [1_000, 500_000], USD: [100, 50_000] } as const;
type WorkloadCurrency = keyof typeof AMOUNT_RANGES_MINOR;

export type PlannedPaymentMethod =
  | { readonly type: 'card'; readonly token: string; readonly issuer: string }
  | { readonly type: 'easy_pay'; readonly token: string; readonly provider: string }
  | { readonly type: 'bank_transfer'; readonly token: string; readonly bank: string };

export interface CheckoutBody {
  readonly checkoutId: string;
  readonly currency: WorkloadCurrency;
  readonly buyer: { readonly id: string; readonly country: string };
  readonly paymentMethod: PlannedPaymentMethod;
  readonly orders: readonly { readonly sellerId: string; readonly amount: number }[];
}

/** One checkout of the workload: when it is sent, by whom, and how many copies go at once. */
export interface PlannedCheckout {
  readonly atMs: number;
  readonly merchantId: string;
  readonly idempotencyKey: string;
  /** 1, or 2–3 concurrent duplicates with the same key and body. */
  readonly concurrentCopies: number;
  readonly body: CheckoutBody;
}

export interface CheckoutMix {
  readonly ratePerSecond: number;
  readonly durationMs: number;
  /** Shares in [0, 1]. */
  readonly duplicateShare: number;
  readonly multiOrderShare: number;
  readonly declineShare: number;
  readonly pendingShare: number;
  readonly usdShare: number;
}

export const DEFAULT_CHECKOUT_MIX: Omit<CheckoutMix, 'ratePerSecond' | 'durationMs'> = {
  duplicateShare: 0.1,
  multiOrderShare: 0.3,
  declineShare: 0.08,
  pendingShare: 0.1,
  usdShare: 0.3,
};

function tokenOf(random: SeededRandom, mix: CheckoutMix): string {
  const draw = random.next();
  if (draw < mix.declineShare) return random.pick(DECLINE_TOKENS);
  // A fifth of the webhook path ends declined, the rest approved after the PSP's delay.
  if (draw < mix.declineShare + mix.pendingShare)
    return random.next() < 0.2 ? 'tok_pending_decline' : 'tok_pending';
  return 'tok_approve';
}

function methodOf(random: SeededRandom, mix: CheckoutMix): PlannedPaymentMethod {
  const token = tokenOf(random, mix);
  const draw = random.next();
  if (draw < 0.6) return { type: 'card', token, issuer: random.pick(CARD_ISSUERS) };
  if (draw < 0.8) return { type: 'easy_pay', token, provider: random.pick(EASY_PAY_PROVIDERS) };
  return { type: 'bank_transfer', token, bank: random.pick(BANKS) };
}

function ordersOf(
  random: SeededRandom,
  mix: CheckoutMix,
  currency: WorkloadCurrency,
): CheckoutBody['orders'] {
  const count = random.next() < mix.multiOrderShare ? random.integer(2, 3) : 1;
  const sellers = [...WORKLOAD_SELLERS];
  const [low, high] = AMOUNT_RANGES_MINOR[currency];
  return Array.from({ length: count }, () => {
    const sellerId = sellers.splice(random.integer(0, sellers.length - 1), 1)[0] as string;
    return { sellerId, amount: random.integer(low, high) };
  });
}

/**
 * The whole workload as data, before anything is sent: the same seed and mix give the same
 * checkouts, keys and bodies, so a failing run can be replayed. Arrivals are evenly spaced
 * (open loop): the send time never depends on how fast Keel answers.
 */
export function planCheckouts(random: SeededRandom, mix: CheckoutMix): PlannedCheckout[] {
  const total = Math.floor((mix.ratePerSecond * mix.durationMs) / 1_000);
  return Array.from({ length: total }, (_, index) => {
    const currency: WorkloadCurrency = random.next() < mix.usdShare ? 'USD' : 'KRW';
    const key = `chaos-${index.toString().padStart(6, '0')}`;
    return {
      atMs: Math.round((index * 1_000) / mix.ratePerSecond),
      merchantId: random.pick(WORKLOAD_MERCHANTS),
      idempotencyKey: key,
      concurrentCopies: random.next() < mix.duplicateShare ? random.integer(2, 3) : 1,
      body: {
        checkoutId: key,
        currency,
        buyer: { id: `buyer_${random.integer(1, 500)}`, country: 'KR' },
        paymentMethod: methodOf(random, mix),
        orders: ordersOf(random, mix, currency),
      },
    };
  });
}
