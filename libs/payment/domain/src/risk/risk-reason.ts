/** Why the risk check rejected a payment; the payment fails with this code. */
export const RISK_REASONS = [
  'blocked_buyer',
  'blocked_instrument',
  'blocked_country',
  'amount_limit_exceeded',
  'velocity_exceeded',
] as const;
export type RiskReason = (typeof RISK_REASONS)[number];

export type RiskVerdict =
  | { readonly approved: true }
  | { readonly approved: false; readonly reason: RiskReason; readonly detail: string };

export const RISK_APPROVED: RiskVerdict = { approved: true };
