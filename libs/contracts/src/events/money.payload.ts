import { IsString, Matches } from 'class-validator';

/** A signed integer of minor units, canonical (no leading zeros, no "-0"), at most 18 digits. */
export const MINOR_UNITS_PATTERN = /^(0|-?[1-9][0-9]{0,17})$/;
export const POSITIVE_MINOR_UNITS_PATTERN = /^[1-9][0-9]{0,17}$/;
export const NON_NEGATIVE_MINOR_UNITS_PATTERN = /^(0|[1-9][0-9]{0,17})$/;
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

const MINOR_UNITS_MESSAGE = 'amountMinor must be a whole number of minor units written as a decimal string';
const CURRENCY_MESSAGE = 'currency must be an ISO 4217 code of three upper-case letters';

/**
 * Money on the wire. amountMinor is a string because bigint does not survive JSON and a number
 * loses precision past 2^53; 18 digits keep every value inside a signed 64-bit column. The
 * canonical form makes equal amounts equal strings.
 */
export class MoneyPayload {
  @IsString()
  @Matches(MINOR_UNITS_PATTERN, { message: MINOR_UNITS_MESSAGE })
  amountMinor!: string;

  @IsString()
  @Matches(CURRENCY_PATTERN, { message: CURRENCY_MESSAGE })
  currency!: string;
}

/** Money that must be above zero: what a buyer pays, a PSP charges or a wallet is credited. */
export class PositiveMoneyPayload {
  @IsString()
  @Matches(POSITIVE_MINOR_UNITS_PATTERN, { message: `${MINOR_UNITS_MESSAGE}, above zero` })
  amountMinor!: string;

  @IsString()
  @Matches(CURRENCY_PATTERN, { message: CURRENCY_MESSAGE })
  currency!: string;
}

/** Money that may be zero but never below it: a fee, of which a sale may carry none. */
export class NonNegativeMoneyPayload {
  @IsString()
  @Matches(NON_NEGATIVE_MINOR_UNITS_PATTERN, { message: `${MINOR_UNITS_MESSAGE}, zero or above` })
  amountMinor!: string;

  @IsString()
  @Matches(CURRENCY_PATTERN, { message: CURRENCY_MESSAGE })
  currency!: string;
}

export function toMoneyPayload(amountMinor: bigint, currency: string): MoneyPayload {
  return { amountMinor: amountMinor.toString(), currency };
}

export function amountMinorOf(money: MoneyPayload | PositiveMoneyPayload | NonNegativeMoneyPayload): bigint {
  return BigInt(money.amountMinor);
}
