/** Thrown at boot when the risk configuration cannot be read; never at request time. */
export class RiskSettingsError extends Error {
  override readonly name = 'RiskSettingsError';
}

export interface VelocityLimit {
  /** A buyer may have at most this many payments within the window; the next one is rejected. */
  readonly maxPayments: number;
  readonly windowMs: number;
}

export interface RiskSettings {
  /** Largest payment total per currency, in minor units; a currency without an entry has no limit. */
  readonly amountLimitsMinor: ReadonlyMap<string, bigint>;
  readonly velocity: VelocityLimit;
  readonly blockedBuyerIds: ReadonlySet<string>;
  readonly blockedInstrumentTokens: ReadonlySet<string>;
  /** ISO 3166-1 alpha-2 codes, upper case. */
  readonly blockedCountries: ReadonlySet<string>;
}

const CURRENCY_KEY_PATTERN = /^[A-Z]{3}$/;
const POSITIVE_INTEGER_PATTERN = /^[1-9][0-9]{0,18}$/;
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Reads `{"KRW":"5000000","USD":"500000"}`: amounts are strings of minor units so that no limit
 * passes through a floating-point number on the way in.
 */
export function parseAmountLimits(json: string): Map<string, bigint> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json === '' ? '{}' : json);
  } catch {
    throw new RiskSettingsError('amount limits must be a JSON object such as {"KRW":"5000000"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RiskSettingsError('amount limits must be a JSON object such as {"KRW":"5000000"}');
  }
  const limits = new Map<string, bigint>();
  for (const [currency, value] of Object.entries(parsed)) {
    if (!CURRENCY_KEY_PATTERN.test(currency)) {
      throw new RiskSettingsError(`amount limit key '${currency}' is not an upper-case ISO 4217 code`);
    }
    if (typeof value !== 'string' || !POSITIVE_INTEGER_PATTERN.test(value) || BigInt(value) > INT64_MAX) {
      throw new RiskSettingsError(`amount limit of ${currency} must be a string of minor units above zero`);
    }
    limits.set(currency, BigInt(value));
  }
  return limits;
}

/** Reads a comma-separated list; blanks around entries and empty entries are ignored. */
export function parseList(csv: string, normalise: (entry: string) => string = (entry) => entry): Set<string> {
  return new Set(
    csv
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0)
      .map(normalise),
  );
}
