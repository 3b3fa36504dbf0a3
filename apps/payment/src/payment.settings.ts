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
