import { parseFeePolicy, type FeePolicy } from '@keel/fees';
import { parseAmountLimits, parseList, type RiskSettings } from '@keel/payment-domain';
import type { PaymentEnvironment } from './payment.environment';

/** Injection token of the validated PaymentEnvironment. */
export const PAYMENT_ENVIRONMENT = Symbol('keel.payment.environment');

export function riskSettingsOf(environment: PaymentEnvironment): RiskSettings {
  return {
    amountLimitsMinor: parseAmountLimits(environment.RISK_AMOUNT_LIMITS),
    velocity: {
      maxPayments: environment.RISK_VELOCITY_MAX_PAYMENTS,
      windowMs: environment.RISK_VELOCITY_WINDOW_MS,
    },
    blockedBuyerIds: parseList(environment.RISK_BLOCKED_BUYER_IDS),
    blockedInstrumentTokens: parseList(environment.RISK_BLOCKED_INSTRUMENT_TOKENS),
    blockedCountries: parseList(environment.RISK_BLOCKED_COUNTRIES, (entry) => entry.toUpperCase()),
  };
}

/** Injection token of the RiskSettings read from the environment at boot. */
export const RISK_SETTINGS = Symbol('keel.payment.risk-settings');

/** The fee policy the environment describes; the environment was validated at boot. */
export function feePolicyOf(environment: PaymentEnvironment): FeePolicy {
  return parseFeePolicy(environment.PAYMENT_FEE_BPS, environment.PAYMENT_FEE_ROUNDING);
}

/** Injection token of the FeePolicy read from the environment at boot. */
export const FEE_POLICY = Symbol('keel.payment.fee-policy');
