import type { AccountRef } from './account';
import type { JournalEntry } from './journal-entry';
import { LedgerError, LedgerErrorCode } from './ledger.error';
import { signedAmountMinorOf } from './posting';

/**
 * What makes two entries the same movement: the journal records one transaction per kind and
 * reference (UNIQUE in the database). Kinds contain no space, so the key is unambiguous.
 */
export function movementKeyOf(entry: { readonly kind: string; readonly reference: string }): string {
  return `${entry.kind} ${entry.reference}`;
}

/** A stored posting line: an account and its signed amount (debits positive). */
export interface SignedLine {
  readonly accountId: string;
  readonly signedAmountMinor: bigint;
}

/**
 * The debits of a movement as one comparable string. Two deliveries are the same movement when
 * what the PSP owes (the debits) matches, whatever the credits say: a charge journaled before fees
 * travelled in events carries the fee the ledger computed then, not the one a later event carries.
 */
export function debitsSignatureOf(lines: readonly SignedLine[]): string {
  return lines
    .filter((line) => line.signedAmountMinor > 0n)
    .map((line) => `${line.accountId}=${line.signedAmountMinor}`)
    .sort()
    .join(', ');
}

export function entryDebitsSignatureOf(entry: JournalEntry): string {
  return debitsSignatureOf(
    entry.postings.map((item) => ({
      accountId: item.account.id,
      signedAmountMinor: signedAmountMinorOf(item),
    })),
  );
}

/** The first item of each movement, in their order; later items of a movement are left out. */
export function firstOfEachMovement<T>(items: readonly T[], entryOf: (item: T) => JournalEntry): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = movementKeyOf(entryOf(item));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What a set of entries does to one account: its net signed change and its version step. */
export interface AccountMovement {
  readonly account: AccountRef;
  /** Debits minus credits over every posting of the entries to this account. */
  readonly deltaMinor: bigint;
  /** The entries that post to it; the account's version counts its transactions. */
  readonly transactionCount: number;
}

/**
 * Net movement per account over `entries`, in account id order. An account posted twice in one
 * entry moves once for that entry; the balance update of a whole chunk is then one row per
 * account, however many entries touch the hot ones.
 */
export function accountMovementsOf(entries: readonly JournalEntry[]): AccountMovement[] {
  const movements = new Map<string, { account: AccountRef; deltaMinor: bigint; transactionCount: number }>();
  for (const entry of entries) {
    const touched = new Set<string>();
    for (const item of entry.postings) {
      const movement = movements.get(item.account.id) ?? {
        account: item.account,
        deltaMinor: 0n,
        transactionCount: 0,
      };
      movement.deltaMinor += signedAmountMinorOf(item);
      if (!touched.has(item.account.id)) movement.transactionCount += 1;
      touched.add(item.account.id);
      movements.set(item.account.id, movement);
    }
  }
  return [...movements.values()].sort((left, right) => compareIds(left.account.id, right.account.id));
}

/** An account's running balance (debits minus credits) and version. */
export interface AccountBalance {
  readonly accountId: string;
  readonly balanceMinor: bigint;
  readonly version: bigint;
}

/**
 * The balances the movements must leave, from the balances read under lock before them. Every
 * moved account must have been read: a movement on an account nobody locked is a bug.
 */
export function balancesAfter(
  before: readonly AccountBalance[],
  movements: readonly AccountMovement[],
): AccountBalance[] {
  const byId = new Map(before.map((balance) => [balance.accountId, balance]));
  return movements.map((movement) => {
    const previous = byId.get(movement.account.id);
    if (previous === undefined) {
      throw new LedgerError(
        LedgerErrorCode.UNKNOWN_ACCOUNT_BALANCE,
        `No balance was read for ${movement.account.id} before moving it`,
      );
    }
    return {
      accountId: movement.account.id,
      balanceMinor: previous.balanceMinor + movement.deltaMinor,
      version: previous.version + BigInt(movement.transactionCount),
    };
  });
}

/** Plain code unit order; account ids are ASCII, so it is the database's byte ("C") order too. */
function compareIds(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
