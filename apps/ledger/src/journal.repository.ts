import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { signedAmountMinorOf, type AccountRef, type JournalEntry } from '@keel/ledger-domain';
import { LedgerIntegrityError } from './ledger-integrity.error';

/**
 * Taken by every transaction that writes the journal. The inbox applies a chunk of events in one
 * transaction, so row locks taken in id order per event still interleave across events, and two
 * chunks could deadlock. Nearly every charge touches the hot fee-revenue account of its
 * currency, which serialises writers anyway; one explicit lock costs little more and makes
 * deadlocks impossible.
 */
export const LEDGER_WRITE_LOCK_KEY = 7_357_101;

export interface RecordedTransaction {
  readonly id: string;
  readonly recordedAt: Date;
}

/** `recorded: false`: the same kind and reference were recorded before, nothing was written. */
export type RecordOutcome =
  | { readonly recorded: true; readonly transaction: RecordedTransaction }
  | { readonly recorded: false; readonly existingTransactionId: string };

interface LockedAccountRow {
  id: string;
  kind: string;
  owner: string | null;
  currency: string;
  balance_minor: string;
  version: string;
}

interface MovedAccountRow {
  id: string;
  balance_minor: string;
  version: string;
}

const INSERT_TRANSACTION_SQL = `
  INSERT INTO ledger_transactions (id, kind, reference, payment_id, posting_count, occurred_at)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (kind, reference) DO NOTHING
  RETURNING id, recorded_at`;

const FIND_BY_KIND_AND_REFERENCE_SQL = `
  SELECT id FROM ledger_transactions WHERE kind = $1 AND reference = $2`;

// Accounts are created on first use, and locked; both in one order for every writer (byte order,
// whatever the database's collation), so that two writers never wait on each other in a cycle.
const ENSURE_ACCOUNTS_SQL = `
  INSERT INTO accounts (id, kind, owner, currency, normal_side)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
    AS account(id, kind, owner, currency, normal_side)
  ORDER BY account.id COLLATE "C"
  ON CONFLICT (id) DO NOTHING`;

const LOCK_ACCOUNTS_SQL = `
  SELECT id, kind, owner, currency, balance_minor, version
  FROM accounts WHERE id = ANY($1::text[])
  ORDER BY id COLLATE "C"
  FOR UPDATE`;

// WITH ORDINALITY keeps the entry's order in the identity ids.
const INSERT_POSTINGS_SQL = `
  INSERT INTO postings (transaction_id, account_id, currency, amount_minor)
  SELECT $1, account_id, currency, amount_minor
  FROM unnest($2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY
    AS entry(account_id, currency, amount_minor, position)
  ORDER BY position`;

// A CTE, so the driver returns the rows (a bare UPDATE ... RETURNING comes back as [rows, count]).
const MOVE_BALANCES_SQL = `
  WITH moved AS (
    UPDATE accounts AS account
    SET balance_minor = account.balance_minor + delta.delta_minor,
        version = account.version + 1,
        updated_at = now()
    FROM unnest($1::text[], $2::bigint[]) AS delta(account_id, delta_minor)
    WHERE account.id = delta.account_id
    RETURNING account.id, account.balance_minor, account.version
  )
  SELECT id, balance_minor, version FROM moved`;

/** Writes journal entries: the transaction, its postings and the running balances, in one go. */
@Injectable()
export class JournalRepository {
  /**
   * Records `entry` in the caller's transaction, or nothing if its kind and reference were
   * recorded before. The database checks the balance again when the caller commits.
   */
  async record(manager: EntityManager, entry: JournalEntry, occurredAt: Date): Promise<RecordOutcome> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [LEDGER_WRITE_LOCK_KEY]);
    const inserted = (await manager.query(INSERT_TRANSACTION_SQL, [
      randomUUID(),
      entry.kind,
      entry.reference,
      entry.paymentId,
      entry.postings.length,
      occurredAt,
    ])) as { id: string; recorded_at: Date }[];
    const transaction = inserted[0];
    if (transaction === undefined) {
      return { recorded: false, existingTransactionId: await this.idOf(manager, entry) };
    }
    const deltas = deltasByAccount(entry);
    const locked = await this.lockAccounts(
      manager,
      [...deltas.values()].map((delta) => delta.account),
    );
    await manager.query(INSERT_POSTINGS_SQL, [
      transaction.id,
      entry.postings.map((item) => item.account.id),
      entry.postings.map((item) => item.account.currency),
      entry.postings.map((item) => signedAmountMinorOf(item).toString()),
    ]);
    const moved = (await manager.query(MOVE_BALANCES_SQL, [
      [...deltas.keys()],
      [...deltas.values()].map((delta) => delta.deltaMinor.toString()),
    ])) as MovedAccountRow[];
    assertBalancesMoved(locked, deltas, moved);
    return { recorded: true, transaction: { id: transaction.id, recordedAt: transaction.recorded_at } };
  }

  /** Creates missing accounts, then locks all of them in id order so writers never deadlock. */
  private async lockAccounts(
    manager: EntityManager,
    accounts: readonly AccountRef[],
  ): Promise<LockedAccountRow[]> {
    await manager.query(ENSURE_ACCOUNTS_SQL, [
      accounts.map((account) => account.id),
      accounts.map((account) => account.kind),
      accounts.map((account) => account.owner),
      accounts.map((account) => account.currency),
      accounts.map((account) => account.normalSide),
    ]);
    const locked = (await manager.query(LOCK_ACCOUNTS_SQL, [
      accounts.map((account) => account.id),
    ])) as LockedAccountRow[];
    assertSameAccounts(accounts, locked);
    return locked;
  }

  private async idOf(manager: EntityManager, entry: JournalEntry): Promise<string> {
    const rows = (await manager.query(FIND_BY_KIND_AND_REFERENCE_SQL, [entry.kind, entry.reference])) as {
      id: string;
    }[];
    const existing = rows[0];
    if (existing === undefined) {
      throw new LedgerIntegrityError(
        `${entry.kind} ${entry.reference} conflicted on insert but cannot be found`,
      );
    }
    return existing.id;
  }
}

interface AccountDelta {
  readonly account: AccountRef;
  readonly deltaMinor: bigint;
}

/** Net signed movement per account; an account posted twice in one entry moves once. */
function deltasByAccount(entry: JournalEntry): Map<string, AccountDelta> {
  const deltas = new Map<string, AccountDelta>();
  for (const item of entry.postings) {
    const previous = deltas.get(item.account.id)?.deltaMinor ?? 0n;
    deltas.set(item.account.id, { account: item.account, deltaMinor: previous + signedAmountMinorOf(item) });
  }
  return deltas;
}

/** The rows locked are the accounts the entry names, with the same kind, owner and currency. */
function assertSameAccounts(expected: readonly AccountRef[], locked: readonly LockedAccountRow[]): void {
  const lockedById = new Map(locked.map((row) => [row.id, row]));
  const matches =
    locked.length === expected.length &&
    expected.every((account) => {
      const row = lockedById.get(account.id);
      return (
        row !== undefined &&
        row.kind === account.kind &&
        row.owner === account.owner &&
        row.currency === account.currency
      );
    });
  if (!matches) {
    throw new LedgerIntegrityError(
      `Locked accounts ${locked.map((row) => row.id).join(', ')} differ from ${expected.map((account) => account.id).join(', ')}`,
    );
  }
}

/** Each touched account moved by exactly its delta and one version, and no other account moved. */
function assertBalancesMoved(
  locked: readonly LockedAccountRow[],
  deltas: ReadonlyMap<string, AccountDelta>,
  moved: readonly MovedAccountRow[],
): void {
  const before = new Map(locked.map((row) => [row.id, row]));
  const wrong = moved.filter((row) => {
    const previous = before.get(row.id);
    const delta = deltas.get(row.id);
    return (
      previous === undefined ||
      delta === undefined ||
      BigInt(row.balance_minor) !== BigInt(previous.balance_minor) + delta.deltaMinor ||
      BigInt(row.version) !== BigInt(previous.version) + 1n
    );
  });
  if (moved.length !== deltas.size || wrong.length > 0) {
    throw new LedgerIntegrityError(
      `Balances moved wrongly: ${moved.length} of ${deltas.size} accounts updated, wrong: ${wrong.map((row) => row.id).join(', ')}`,
    );
  }
}
