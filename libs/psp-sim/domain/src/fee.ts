import { Money, percentageOfBasisPoints, type CurrencyCode } from '@keel/money';

/** A PSP's processing fee under its contract: basis points of the amount, rounded half up. */
export function contractFeeOf(amountMinor: bigint, currency: CurrencyCode, basisPoints: number): bigint {
  return percentageOfBasisPoints(Money.of(amountMinor, currency), basisPoints, 'half_up').amountMinor;
}
