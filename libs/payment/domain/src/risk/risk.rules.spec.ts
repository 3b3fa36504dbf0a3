import { assessRisk, type RiskInput } from './risk.rules';
import type { RiskSettings } from './risk-settings';

const settings: RiskSettings = {
  amountLimitsMinor: new Map([
    ['KRW', 5_000_000n],
    ['USD', 500_000n],
  ]),
  velocity: { maxPayments: 3, windowMs: 60_000 },
  blockedBuyerIds: new Set(['buyer-blocked']),
  blockedInstrumentTokens: new Set(['tok_stolen']),
  blockedCountries: new Set(['KP']),
};

const input: RiskInput = {
  buyerId: 'buyer-1',
  buyerCountry: 'KR',
  instrumentToken: 'tok_ok',
  currency: 'KRW',
  amountMinor: 10_000n,
  recentPaymentsOfBuyer: 0,
};

function reasonOf(overrides: Partial<RiskInput>): string | undefined {
  const verdict = assessRisk({ ...input, ...overrides }, settings);
  return verdict.approved ? undefined : verdict.reason;
}

describe('assessRisk', () => {
  it('approves a payment that breaks no rule', () => {
    expect(assessRisk(input, settings)).toEqual({ approved: true });
  });

  it.each<[string, Partial<RiskInput>, string]>([
    ['a blocked buyer', { buyerId: 'buyer-blocked' }, 'blocked_buyer'],
    ['a blocked instrument token', { instrumentToken: 'tok_stolen' }, 'blocked_instrument'],
    ['a blocked country', { buyerCountry: 'KP' }, 'blocked_country'],
    ['a blocked country in lower case', { buyerCountry: 'kp' }, 'blocked_country'],
    ['an amount above the currency limit', { amountMinor: 5_000_001n }, 'amount_limit_exceeded'],
    ['a buyer at the velocity limit', { recentPaymentsOfBuyer: 3 }, 'velocity_exceeded'],
  ])('rejects %s', (_name, overrides, reason) => {
    expect(reasonOf(overrides)).toBe(reason);
  });

  it.each<[string, Partial<RiskInput>]>([
    ['an amount exactly at the limit', { amountMinor: 5_000_000n }],
    ['a currency without a limit', { currency: 'EUR', amountMinor: 10n ** 15n }],
    ['a buyer one payment below the velocity limit', { recentPaymentsOfBuyer: 2 }],
    ['a payment without a country or instrument', { buyerCountry: undefined, instrumentToken: undefined }],
  ])('approves %s', (_name, overrides) => {
    expect(reasonOf(overrides)).toBeUndefined();
  });

  it('gives the block lists precedence over limits, so the most certain reason is reported', () => {
    expect(reasonOf({ buyerId: 'buyer-blocked', amountMinor: 10n ** 12n, recentPaymentsOfBuyer: 99 })).toBe(
      'blocked_buyer',
    );
  });

  it('says why in a detail for the merchant', () => {
    const verdict = assessRisk({ ...input, currency: 'USD', amountMinor: 500_001n }, settings);
    expect(verdict).toEqual({
      approved: false,
      reason: 'amount_limit_exceeded',
      detail: 'The amount exceeds the limit of 500000 minor units of USD.',
    });
  });
});
