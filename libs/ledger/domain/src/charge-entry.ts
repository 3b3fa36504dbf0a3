import { assertPlatformFeeOf, FeePolicyError } from '@keel/fees';
import { type Money } from '@keel/money';
import { feeRevenueAccount, pspClearingAccount, sellerPayableAccount } from './account';
import { journalEntry, type JournalEntry } from './journal-entry';
import { LedgerError, LedgerErrorCode } from './ledger.error';
import { credit, debit, type Posting } from './posting';

/** A payment order the PSP charged, as the ledger needs it. */
export interface ChargedPaymentOrder {
  readonly paymentOrderId: string;
  readonly paymentId: string;
  /** The merchant whose seller is owed: seller payables are per (merchant, seller). */
  readonly merchantId: string;
  readonly sellerId: string;
  readonly pspId: string;
  readonly amount: Money;
  /** The platform fee the payment service decided for the order, as its event carries it. */
  readonly fee: Money;
}

/**
 * The entry for a charge of amount A with platform fee F, the fee the order's event carries (the
 * payment service decided it; the wallet applies the same F, so a seller's wallet balance equals
 * their payable here):
 *   debit  psp_clearing:<psp>:<cur>       A       the PSP now owes us A
 *   credit seller_payable:<merchant, seller>:<cur>  A − F   we owe the merchant's seller A − F
 *   credit fee_revenue:<cur>              F       left out when F is zero
 * F must be in A's currency with 0 ≤ F < A; the entry is asserted to balance before anyone can
 * write it.
 */
export function buildChargeEntry(order: ChargedPaymentOrder): JournalEntry {
  const { amount, fee } = order;
  if (!amount.isPositive()) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_AMOUNT,
      `A charge must be above zero, got ${amount.toString()}`,
    );
  }
  try {
    assertPlatformFeeOf(amount, fee);
  } catch (error) {
    if (!(error instanceof FeePolicyError)) throw error;
    throw new LedgerError(LedgerErrorCode.FEE_OUT_OF_RANGE, `Platform ${error.message}`);
  }
  const postings: Posting[] = [
    debit(pspClearingAccount(order.pspId, amount.currency), amount),
    credit(sellerPayableAccount(order.merchantId, order.sellerId, amount.currency), amount.minus(fee)),
  ];
  // A zero posting carries nothing, and the database refuses it (amount_minor <> 0).
  if (fee.isPositive()) postings.push(credit(feeRevenueAccount(amount.currency), fee));
  return journalEntry({
    kind: 'payment_order_charge',
    reference: order.paymentOrderId,
    paymentId: order.paymentId,
    postings,
  });
}
