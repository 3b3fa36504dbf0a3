import { CurrencyCode, currencyOf, isCurrencyCode } from './currency';
import { formatMinorUnits, parseDecimalToMinorUnits } from './decimal.util';
import { toExactInteger } from './integer.util';
import { MoneyError, MoneyErrorCode, quoteInput } from './money.error';

/**
 * The largest magnitude a Money may hold: every amount fits a signed 64-bit column (Postgres
 * `bigint`). The range is symmetric so that `negate` can never leave it.
 */
export const MAX_ABS_AMOUNT_MINOR = 2n ** 63n - 1n;

/** The wire form of Money: bigint does not survive `JSON.stringify`, so the amount is a decimal string. */
export interface MoneyJson {
  readonly amountMinor: string;
  readonly currency: CurrencyCode;
}

/** Limits for reading amounts from untrusted input (`parseMajor`, `Money.fromJSON`). */
export interface AmountInputOptions {
  /** Largest accepted magnitude in minor units; defaults to `MAX_ABS_AMOUNT_MINOR`. */
  readonly maxAbsAmountMinor?: bigint;
}

const INTEGER_STRING_PATTERN = /^-?\d+$/;

/**
 * An immutable amount of one currency in integer minor units (cents for USD, won for KRW).
 * Operations on two amounts refuse to mix currencies: that is always a bug, never a conversion.
 */
export class Money {
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;

  private constructor(amountMinor: bigint, currency: CurrencyCode) {
    if (amountMinor > MAX_ABS_AMOUNT_MINOR || amountMinor < -MAX_ABS_AMOUNT_MINOR) {
      throw new MoneyError(
        MoneyErrorCode.INVALID_AMOUNT,
        `Amount ${amountMinor} ${currency} is outside ±${MAX_ABS_AMOUNT_MINOR} minor units`,
      );
    }
    this.amountMinor = amountMinor;
    this.currency = currency;
    Object.freeze(this);
  }

  /** `amountMinor` may be a number only if it is a safe integer (else `NOT_AN_INTEGER`). */
  static of(amountMinor: bigint | number, currency: CurrencyCode): Money {
    return new Money(toExactInteger(amountMinor, 'amountMinor'), currencyOf(currency).code);
  }

  static zero(currency: CurrencyCode): Money {
    return Money.of(0n, currency);
  }

  /** Reads the `toJSON` form back, validating it as untrusted input. */
  static fromJSON(json: unknown, options: AmountInputOptions = {}): Money {
    if (typeof json !== 'object' || json === null) {
      throw new MoneyError(
        MoneyErrorCode.INVALID_AMOUNT,
        `Money JSON must be an object, got ${quoteInput(json)}`,
      );
    }
    const { amountMinor, currency } = json as Record<string, unknown>;
    if (typeof amountMinor !== 'string' || !INTEGER_STRING_PATTERN.test(amountMinor)) {
      throw new MoneyError(
        MoneyErrorCode.INVALID_AMOUNT,
        `Money JSON amountMinor must be a string of digits such as "1234", got ${quoteInput(amountMinor)}`,
      );
    }
    if (!isCurrencyCode(currency)) {
      throw new MoneyError(
        MoneyErrorCode.UNKNOWN_CURRENCY,
        `Money JSON currency ${quoteInput(currency)} is not a known ISO 4217 code`,
      );
    }
    const maxAbsAmountMinor = options.maxAbsAmountMinor ?? MAX_ABS_AMOUNT_MINOR;
    return new Money(parseDecimalToMinorUnits(amountMinor, 0, maxAbsAmountMinor), currency);
  }

  plus(other: Money): Money {
    this.assertSameCurrency(other, 'add');
    return new Money(this.amountMinor + other.amountMinor, this.currency);
  }

  minus(other: Money): Money {
    this.assertSameCurrency(other, 'subtract');
    return new Money(this.amountMinor - other.amountMinor, this.currency);
  }

  negate(): Money {
    return new Money(-this.amountMinor, this.currency);
  }

  /** Multiplies by an integer; fractional factors belong in `percentageOfBasisPoints`. */
  multiplyBy(factor: bigint | number): Money {
    return new Money(this.amountMinor * toExactInteger(factor, 'factor'), this.currency);
  }

  /** Throws `CURRENCY_MISMATCH` for another currency: asking whether 5 USD equals 5 EUR is a bug. */
  equals(other: Money): boolean {
    this.assertSameCurrency(other, 'compare');
    return this.amountMinor === other.amountMinor;
  }

  compare(other: Money): -1 | 0 | 1 {
    this.assertSameCurrency(other, 'compare');
    if (this.amountMinor === other.amountMinor) return 0;
    return this.amountMinor < other.amountMinor ? -1 : 1;
  }

  hasSameCurrency(other: Money): boolean {
    return this.currency === other.currency;
  }

  isZero(): boolean {
    return this.amountMinor === 0n;
  }

  isNegative(): boolean {
    return this.amountMinor < 0n;
  }

  isPositive(): boolean {
    return this.amountMinor > 0n;
  }

  toJSON(): MoneyJson {
    return { amountMinor: this.amountMinor.toString(), currency: this.currency };
  }

  /** For logs and messages, e.g. "12.34 USD"; use `formatMajor` for the amount alone. */
  toString(): string {
    return `${formatMinorUnits(this.amountMinor, currencyOf(this.currency).exponent)} ${this.currency}`;
  }

  private assertSameCurrency(other: Money, operation: string): void {
    if (other.currency !== this.currency) {
      throw new MoneyError(
        MoneyErrorCode.CURRENCY_MISMATCH,
        `Cannot ${operation} ${other.currency} and ${this.currency}: amounts must share a currency`,
      );
    }
  }
}

/** Adds every amount, all of which must be in `currency`; an empty list sums to zero. */
export function sum(list: readonly Money[], currency: CurrencyCode): Money {
  const expectedCurrency = currencyOf(currency).code;
  let totalMinor = 0n;
  for (const item of list) {
    if (item.currency !== expectedCurrency) {
      throw new MoneyError(
        MoneyErrorCode.CURRENCY_MISMATCH,
        `Cannot sum ${item.currency} into a ${expectedCurrency} total: amounts must share a currency`,
      );
    }
    totalMinor += item.amountMinor;
  }
  // Only the total is range-checked, so a list may pass through a large intermediate sum.
  return Money.of(totalMinor, expectedCurrency);
}
