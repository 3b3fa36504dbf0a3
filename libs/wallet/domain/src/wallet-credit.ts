import { assertPlatformFeeOf, FeePolicyError } from '@keel/fees';
import type { Money } from '@keel/money';
import { WalletError, WalletErrorCode } from './wallet.error';

/** What one succeeded payment order pays its seller: `gross = fee + net`, and `net` is credited. */
export interface PaymentOrderCredit {
  /** What the buyer paid for this seller's order. */
  readonly gross: Money;
  /** The platform's fee, kept by the platform (the ledger's fee revenue). */
  readonly fee: Money;
  /** What the seller's wallet is credited: `gross − fee`, at least one minor unit. */
  readonly net: Money;
}

/**
 * Splits a succeeded order's amount into the platform fee its event carries and the seller's net
 * credit. The fee is the payment service's decision, applied as it is and never recomputed; the
 * ledger applies the same fee, so the wallet balance equals the ledger's seller payable (I5). A
 * fee in another currency, negative, or not below the amount can never be credited.
 */
export function paymentOrderCreditOf(gross: Money, fee: Money): PaymentOrderCredit {
  if (!gross.isPositive()) {
    throw new WalletError(
      WalletErrorCode.INVALID_CREDIT,
      `A payment order credit needs a positive amount, got ${gross.toString()}`,
    );
  }
  try {
    assertPlatformFeeOf(gross, fee);
  } catch (error) {
    if (!(error instanceof FeePolicyError)) throw error;
    throw new WalletError(WalletErrorCode.INVALID_CREDIT, `Platform ${error.message}`);
  }
  return { gross, fee, net: gross.minus(fee) };
}

/** The balance after crediting `amount` to `previous`; a credit must be positive and of the same currency. */
export function creditedBalance(previous: Money, amount: Money): Money {
  if (!amount.isPositive()) {
    throw new WalletError(
      WalletErrorCode.INVALID_CREDIT,
      `A credit must be positive, got ${amount.toString()}`,
    );
  }
  if (!amount.hasSameCurrency(previous)) {
    throw new WalletError(
      WalletErrorCode.INVALID_CREDIT,
      `Cannot credit ${amount.currency} to a ${previous.currency} balance`,
    );
  }
  const balanceAfter = previous.plus(amount);
  assertBalanceAfter(previous, amount, balanceAfter);
  return balanceAfter;
}

/**
 * Asserts `balanceAfter = previous + amount` in one currency. Called with the balance the database
 * computed when the wallet row is written, so the domain's arithmetic and the stored row must agree.
 */
export function assertBalanceAfter(previous: Money, amount: Money, balanceAfter: Money): void {
  const consistent =
    previous.hasSameCurrency(amount) &&
    previous.hasSameCurrency(balanceAfter) &&
    balanceAfter.equals(previous.plus(amount));
  if (!consistent) {
    throw new WalletError(
      WalletErrorCode.BALANCE_MISMATCH,
      `Balance ${balanceAfter.toString()} is not ${previous.toString()} + ${amount.toString()}`,
    );
  }
}
