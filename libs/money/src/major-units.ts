import { CurrencyCode, currencyOf } from './currency';
import { formatMinorUnits, parseDecimalToMinorUnits } from './decimal.util';
import { AmountInputOptions, MAX_ABS_AMOUNT_MINOR, Money } from './money';

/**
 * Reads a decimal string in major units, e.g. "12.34" USD → 1234n. Accepts an optional leading
 * '-' and at most the currency's exponent of fraction digits; refuses numbers (already floats),
 * '+', exponents, separators, whitespace and empty input with `INVALID_AMOUNT`.
 */
export function parseMajor(input: string, currency: CurrencyCode, options: AmountInputOptions = {}): Money {
  const { code, exponent } = currencyOf(currency);
  const maxAbsAmountMinor = options.maxAbsAmountMinor ?? MAX_ABS_AMOUNT_MINOR;
  return Money.of(parseDecimalToMinorUnits(input, exponent, maxAbsAmountMinor), code);
}

/** Writes the amount in major units with exactly the currency's fraction digits: "12.34", "-0.05", "1000". */
export function formatMajor(money: Money): string {
  return formatMinorUnits(money.amountMinor, currencyOf(money.currency).exponent);
}
