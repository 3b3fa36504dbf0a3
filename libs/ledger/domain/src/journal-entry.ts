import type { CurrencyCode } from '@keel/money';
import { LedgerError, LedgerErrorCode } from './ledger.error';
import { oppositeDirectionOf, posting, signedAmountMinorOf, type Posting } from './posting';

/**
 * What a ledger transaction records. `payment_order_charge`: a PSP charged a payment order
 * (reference: the payment order id). `reversal`: the exact mirror of an earlier transaction,
 * the only way to correct one (reference: the reversed transaction's id). `orphan_charge`: a PSP
 * charged an order Keel had given up on, so the money is owed back to the buyer;
 * `orphan_charge_refund`: the PSP refunded it (both referenced by the payment order id).
 * `psp_fee_adjustment`: a PSP kept another fee than its contract's, as reconciliation found
 * (reference: the discrepancy's id, which is also its paymentId: it belongs to no payment).
 */
export const TRANSACTION_KINDS = [
  'payment_order_charge',
  'reversal',
  'orphan_charge',
  'orphan_charge_refund',
  'psp_fee_adjustment',
] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

/** Double entry needs two postings; more than 50 would not fit one ledger event (contracts). */
export const POSTINGS_PER_ENTRY_MIN = 2;
export const POSTINGS_PER_ENTRY_MAX = 50;
/** References and payment ids are Keel identifiers, at most 64 characters. */
export const REFERENCE_LENGTH_MAX = 64;
/** A reason travels in the ledger's event, whose texts are at most 500 characters. */
export const REASON_LENGTH_MAX = 500;

/** A balanced set of postings with what it records; built only through `journalEntry`. */
export interface JournalEntry {
  readonly kind: TransactionKind;
  /** Unique per kind: the same movement is recorded at most once. */
  readonly reference: string;
  readonly paymentId: string;
  readonly postings: readonly Posting[];
  /** Why, when the kind needs it said (a fee adjustment's reason); at most REASON_LENGTH_MAX characters. */
  readonly reason?: string;
}

/** Builds an entry and asserts that it balances; the database checks the same again at commit. */
export function journalEntry(entry: JournalEntry): JournalEntry {
  assertIdentifier('reference', entry.reference);
  assertIdentifier('paymentId', entry.paymentId);
  if (entry.reason !== undefined && (entry.reason.length === 0 || entry.reason.length > REASON_LENGTH_MAX)) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_REFERENCE,
      `An entry's reason must be 1–${REASON_LENGTH_MAX} characters, got ${entry.reason.length}`,
    );
  }
  assertBalanced(entry.postings);
  return Object.freeze({ ...entry, postings: Object.freeze([...entry.postings]) });
}

/**
 * Throws unless the postings form a valid double entry: 2–50 postings, each above zero in its
 * account's currency, and debits equal to credits in every currency.
 */
export function assertBalanced(postings: readonly Posting[]): void {
  if (postings.length < POSTINGS_PER_ENTRY_MIN || postings.length > POSTINGS_PER_ENTRY_MAX) {
    throw new LedgerError(
      LedgerErrorCode.POSTING_COUNT_OUT_OF_RANGE,
      `An entry needs ${POSTINGS_PER_ENTRY_MIN}–${POSTINGS_PER_ENTRY_MAX} postings, got ${postings.length}`,
    );
  }
  // posting() checks sign and currency; running it again catches a hand-built object.
  for (const item of postings) posting(item.account, item.direction, item.amount);
  for (const [currency, sumMinor] of sumsByCurrency(postings)) {
    if (sumMinor !== 0n) {
      throw new LedgerError(
        LedgerErrorCode.UNBALANCED_ENTRY,
        `Debits and credits differ by ${sumMinor} minor units of ${currency} (debits minus credits)`,
      );
    }
  }
}

/** Debits minus credits per currency; every value is zero for a balanced entry. */
export function sumsByCurrency(postings: readonly Posting[]): Map<CurrencyCode, bigint> {
  const sums = new Map<CurrencyCode, bigint>();
  for (const item of postings) {
    const currency = item.amount.currency;
    sums.set(currency, (sums.get(currency) ?? 0n) + signedAmountMinorOf(item));
  }
  return sums;
}

/**
 * The correction of `original`: every posting on the opposite side, so that the two together
 * leave every balance as it was. Recorded once per original (kind `reversal`, reference its id).
 */
export function reverseEntry(original: JournalEntry, originalTransactionId: string): JournalEntry {
  return journalEntry({
    kind: 'reversal',
    reference: originalTransactionId,
    paymentId: original.paymentId,
    postings: original.postings.map((item) =>
      posting(item.account, oppositeDirectionOf(item.direction), item.amount),
    ),
  });
}

function assertIdentifier(field: string, value: string): void {
  if (value.length === 0 || value.length > REFERENCE_LENGTH_MAX) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_REFERENCE,
      `${field} must be 1–${REFERENCE_LENGTH_MAX} characters, got ${value.length}`,
    );
  }
}
