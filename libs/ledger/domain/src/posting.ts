import { Money } from '@keel/money';
import type { AccountRef, PostingDirection } from './account';
import { LedgerError, LedgerErrorCode } from './ledger.error';

/** One line of a journal entry: a positive amount on one side of one account. */
export interface Posting {
  readonly account: AccountRef;
  readonly direction: PostingDirection;
  /** Always above zero and in the account's currency; the direction carries the sign. */
  readonly amount: Money;
}

export function debit(account: AccountRef, amount: Money): Posting {
  return posting(account, 'debit', amount);
}

export function credit(account: AccountRef, amount: Money): Posting {
  return posting(account, 'credit', amount);
}

/** A posting, checked: a positive amount in the account's own currency. */
export function posting(account: AccountRef, direction: PostingDirection, amount: Money): Posting {
  if (!amount.isPositive()) {
    throw new LedgerError(
      LedgerErrorCode.NON_POSITIVE_POSTING,
      `A ${direction} to ${account.id} must be above zero, got ${amount.toString()}`,
    );
  }
  if (amount.currency !== account.currency) {
    throw new LedgerError(
      LedgerErrorCode.CURRENCY_MISMATCH,
      `Cannot post ${amount.toString()} to ${account.id}, an account in ${account.currency}`,
    );
  }
  return Object.freeze({ account, direction, amount });
}

/**
 * The stored form of a posting: one signed integer, debits positive and credits negative, so
 * that a balanced transaction sums to zero and an account balance is the plain sum.
 */
export function signedAmountMinorOf(entryPosting: Posting): bigint {
  const { amountMinor } = entryPosting.amount;
  return entryPosting.direction === 'debit' ? amountMinor : -amountMinor;
}

/** Reads a stored posting back: the sign becomes the direction. */
export function postingFromSigned(account: AccountRef, signedAmountMinor: bigint): Posting {
  const direction: PostingDirection = signedAmountMinor >= 0n ? 'debit' : 'credit';
  const amountMinor = signedAmountMinor >= 0n ? signedAmountMinor : -signedAmountMinor;
  return posting(account, direction, Money.of(amountMinor, account.currency));
}

export function oppositeDirectionOf(direction: PostingDirection): PostingDirection {
  return direction === 'debit' ? 'credit' : 'debit';
}
