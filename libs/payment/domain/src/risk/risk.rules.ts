import { RISK_APPROVED, type RiskVerdict } from './risk-reason';
import type { RiskSettings } from './risk-settings';

/** What the risk check looks at; the velocity count is read by the caller, so the rule stays pure. */
export interface RiskInput {
  readonly buyerId: string;
  readonly buyerCountry?: string;
  readonly instrumentToken?: string;
  readonly currency: string;
  readonly amountMinor: bigint;
  /** Payments of this buyer already accepted within the velocity window. */
  readonly recentPaymentsOfBuyer: number;
}

/**
 * The risk check before any charge. Rules run from the cheapest and most certain (block lists) to
 * the statistical (velocity); the first that rejects gives the reason.
 */
export function assessRisk(input: RiskInput, settings: RiskSettings): RiskVerdict {
  if (settings.blockedBuyerIds.has(input.buyerId)) {
    return { approved: false, reason: 'blocked_buyer', detail: 'The buyer is blocked.' };
  }
  if (input.instrumentToken !== undefined && settings.blockedInstrumentTokens.has(input.instrumentToken)) {
    return { approved: false, reason: 'blocked_instrument', detail: 'The payment instrument is blocked.' };
  }
  const country = input.buyerCountry?.toUpperCase();
  if (country !== undefined && settings.blockedCountries.has(country)) {
    return { approved: false, reason: 'blocked_country', detail: `Payments from ${country} are blocked.` };
  }
  const limitMinor = settings.amountLimitsMinor.get(input.currency);
  if (limitMinor !== undefined && input.amountMinor > limitMinor) {
    return {
      approved: false,
      reason: 'amount_limit_exceeded',
      detail: `The amount exceeds the limit of ${limitMinor} minor units of ${input.currency}.`,
    };
  }
  if (input.recentPaymentsOfBuyer >= settings.velocity.maxPayments) {
    return {
      approved: false,
      reason: 'velocity_exceeded',
      detail: `The buyer reached ${settings.velocity.maxPayments} payments within ${settings.velocity.windowMs} ms.`,
    };
  }
  return RISK_APPROVED;
}
