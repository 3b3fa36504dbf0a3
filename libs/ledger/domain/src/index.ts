export {
  ACCOUNT_ID_LENGTH_MAX,
  ACCOUNT_KINDS,
  ACCOUNT_OWNER_PATTERN,
  accountKindSpecOf,
  accountRef,
  feeRevenueAccount,
  isAccountKind,
  normalBalanceMinorOf,
  orphanRefundPayableAccount,
  POSTING_DIRECTIONS,
  pspFeeExpenseAccount,
  pspClearingAccount,
  sellerPayableAccount,
  UNKNOWN_MERCHANT_ID,
} from './account';
export type { AccountKind, AccountOwnerRole, AccountRef, AccountType, PostingDirection } from './account';
export { buildChargeEntry } from './charge-entry';
export type { ChargedPaymentOrder } from './charge-entry';
export {
  accountMovementsOf,
  balancesAfter,
  debitsSignatureOf,
  entryDebitsSignatureOf,
  firstOfEachMovement,
  movementKeyOf,
} from './journal-batch';
export type { AccountBalance, AccountMovement, SignedLine } from './journal-batch';
export { buildOrphanChargeEntry, buildOrphanRefundEntry } from './orphan-charge-entry';
export type { OrphanCharge } from './orphan-charge-entry';
export { buildPspFeeAdjustmentEntry } from './psp-fee-adjustment-entry';
export type { PspFeeAdjustment } from './psp-fee-adjustment-entry';
export {
  assertBalanced,
  journalEntry,
  POSTINGS_PER_ENTRY_MAX,
  POSTINGS_PER_ENTRY_MIN,
  REASON_LENGTH_MAX,
  REFERENCE_LENGTH_MAX,
  reverseEntry,
  sumsByCurrency,
  TRANSACTION_KINDS,
} from './journal-entry';
export type { JournalEntry, TransactionKind } from './journal-entry';
export { LedgerError, LedgerErrorCode } from './ledger.error';
export {
  credit,
  debit,
  oppositeDirectionOf,
  posting,
  postingFromSigned,
  signedAmountMinorOf,
} from './posting';
export type { Posting } from './posting';
export { trialBalanceOf } from './trial-balance';
export type { CurrencyBalanceTotals, TrialBalance, TrialBalanceLine } from './trial-balance';
