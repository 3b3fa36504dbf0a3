import { type Money } from '@keel/money';
import { orphanRefundPayableAccount, pspClearingAccount } from './account';
import { journalEntry, type JournalEntry } from './journal-entry';
import { LedgerError, LedgerErrorCode } from './ledger.error';
import { credit, debit } from './posting';

/** A charge a PSP made for a payment order Keel had already given up on. */
export interface OrphanCharge {
  readonly paymentOrderId: string;
  readonly paymentId: string;
  readonly pspId: string;
  readonly amount: Money;
}

function assertPositive(charge: OrphanCharge): void {
  if (!charge.amount.isPositive()) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_AMOUNT,
      `An orphan charge must be above zero, got ${charge.amount.toString()}`,
    );
  }
}

/**
 * The PSP holds money that belongs to the buyer, not to a seller (no wallet credit, no fee):
 *   debit  psp_clearing:<psp>:<cur>           A   the PSP owes us A
 *   credit orphan_refund_payable:<psp>:<cur>  A   we owe A back to the buyer
 */
export function buildOrphanChargeEntry(charge: OrphanCharge): JournalEntry {
  assertPositive(charge);
  const { amount } = charge;
  return journalEntry({
    kind: 'orphan_charge',
    reference: charge.paymentOrderId,
    paymentId: charge.paymentId,
    postings: [
      debit(pspClearingAccount(charge.pspId, amount.currency), amount),
      credit(orphanRefundPayableAccount(charge.pspId, amount.currency), amount),
    ],
  });
}

/** The refund settles both sides: the mirror of the orphan charge's movement. */
export function buildOrphanRefundEntry(charge: OrphanCharge): JournalEntry {
  assertPositive(charge);
  const { amount } = charge;
  return journalEntry({
    kind: 'orphan_charge_refund',
    reference: charge.paymentOrderId,
    paymentId: charge.paymentId,
    postings: [
      debit(orphanRefundPayableAccount(charge.pspId, amount.currency), amount),
      credit(pspClearingAccount(charge.pspId, amount.currency), amount),
    ],
  });
}
