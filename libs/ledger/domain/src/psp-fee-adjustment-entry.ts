import type { Money } from '@keel/money';
import { pspClearingAccount, pspFeeExpenseAccount } from './account';
import { journalEntry, type JournalEntry } from './journal-entry';
import { LedgerError, LedgerErrorCode } from './ledger.error';
import { credit, debit } from './posting';

/** A PSP fee that differs from the contract, as reconciliation found it in a settlement file. */
export interface PspFeeAdjustment {
  /** The adjustment's id (reconciliation's discrepancy): it is recorded once under it. */
  readonly adjustmentId: string;
  readonly pspId: string;
  /** The fee the PSP kept less the contract's: above zero, the PSP kept more; never zero. */
  readonly difference: Money;
  readonly reason: string;
}

/**
 * The PSP keeps more than its contract: it owes us that much less, and it is an expense.
 *   debit  psp_fee_expense:<psp>:<cur>  D   the fee over contract
 *   credit psp_clearing:<psp>:<cur>     D   the PSP pays out D less
 * A fee under contract is the mirror (debit clearing, credit the expense).
 */
export function buildPspFeeAdjustmentEntry(adjustment: PspFeeAdjustment): JournalEntry {
  const { difference } = adjustment;
  if (difference.isZero()) {
    throw new LedgerError(LedgerErrorCode.INVALID_AMOUNT, 'A fee adjustment of zero moves nothing');
  }
  const amount = difference.isPositive() ? difference : difference.negate();
  const expense = pspFeeExpenseAccount(adjustment.pspId, amount.currency);
  const clearing = pspClearingAccount(adjustment.pspId, amount.currency);
  return journalEntry({
    kind: 'psp_fee_adjustment',
    reference: adjustment.adjustmentId,
    paymentId: adjustment.adjustmentId,
    reason: adjustment.reason,
    postings: difference.isPositive()
      ? [debit(expense, amount), credit(clearing, amount)]
      : [debit(clearing, amount), credit(expense, amount)],
  });
}
