import { platformFeeOf, type FeeMethodType, type FeePolicy } from '@keel/fees';
import { type Money } from '@keel/money';
import { feeRevenueAccount, pspClearingAccount, sellerPayableAccount } from './account';
import { journalEntry, type JournalEntry } from './journal-entry';
import { LedgerError, LedgerErrorCode } from './ledger.error';
import { credit, debit, type Posting } from './posting';

/** A payment order the PSP charged, as the ledger needs it. */
export interface ChargedPaymentOrder {
  readonly paymentOrderId: string;
  readonly paymentId: string;
  readonly sellerId: string;
  readonly pspId: string;
  readonly amount: Money;
  readonly paymentMethodType: FeeMethodType;
}

export interface ChargeEntry {
  readonly entry: JournalEntry;
  readonly fee: Money;
}

/**
 * The entry for a charge of amount A with platform fee F (the rule of @keel/fees, which the
 * wallet applies too, so a seller's wallet balance equals their payable here):
 *   debit  psp_clearing:<psp>:<cur>       A       the PSP now owes us A
 *   credit seller_payable:<seller>:<cur>  A − F   we owe the seller A − F
 *   credit fee_revenue:<cur>              F       left out when F is zero
 * The entry is asserted to balance before anyone can write it.
 */
export function buildChargeEntry(order: ChargedPaymentOrder, policy: FeePolicy): ChargeEntry {
  const { amount } = order;
  if (!amount.isPositive()) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_AMOUNT,
      `A charge must be above zero, got ${amount.toString()}`,
    );
  }
  const fee = platformFeeOf(amount, order.paymentMethodType, policy);
  // The fee rule promises 0 ≤ F < A; money moves on it, so it is asserted rather than trusted.
  if (fee.isNegative() || fee.compare(amount) >= 0) {
    throw new LedgerError(
      LedgerErrorCode.FEE_OUT_OF_RANGE,
      `Fee ${fee.toString()} is outside 0 ≤ fee < ${amount.toString()}`,
    );
  }
  const postings: Posting[] = [
    debit(pspClearingAccount(order.pspId, amount.currency), amount),
    credit(sellerPayableAccount(order.sellerId, amount.currency), amount.minus(fee)),
  ];
  // A zero posting carries nothing, and the database refuses it (amount_minor <> 0).
  if (fee.isPositive()) postings.push(credit(feeRevenueAccount(amount.currency), fee));
  const entry = journalEntry({
    kind: 'payment_order_charge',
    reference: order.paymentOrderId,
    paymentId: order.paymentId,
    postings,
  });
  return { entry, fee };
}
