import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedStatement, runPrepared } from '@keel/database';
import {
  accountMovementsOf,
  balancesAfter,
  debitsSignatureOf,
  movementKeyOf,
  signedAmountMinorOf,
  type AccountBalance,
  type AccountRef,
  type JournalEntry,
} from '@keel/ledger-domain';
import { LedgerIntegrityError } from '../ledger.errors';

/** A journal entry to record, with when its movement happened (ISO 8601). */
export interface Movement {
  readonly entry: JournalEntry;
  readonly occurredAt: string;
}

export interface RecordedTransaction {
  readonly id: string;
  readonly recordedAt: Date;
}

/**
 * What became of one movement: written now, or found recorded before (by an earlier chunk) with
 * the debits it was recorded with.
 */
export type MovementOutcome =
  | { readonly written: true; readonly transaction: RecordedTransaction }
  | { readonly written: false; readonly transactionId: string; readonly debitsSignature: string };

interface InsertedTransactionRow {
  id: string;
  kind: string;
  reference: string;
  recorded_at: Date;
}

interface LockedAccountRow {
  id: string;
  kind: string;
  owner: string | null;
  merchant_id: string | null;
  currency: string;
  balance_minor: string;
  version: string;
}

interface MovedAccountRow {
  id: string;
  balance_minor: string;
  version: string;
}

interface RecordedDebitRow {
  transaction_id: string;
  kind: string;
  reference: string;
  account_id: string;
  amount_minor: string;
}

// The UNIQUE (kind, reference) constraint records each movement once: a movement recorded before
// is simply not returned.
const INSERT_TRANSACTIONS = preparedStatement(
  'ledger_insert_transactions',
  `INSERT INTO ledger_transactions (id, kind, reference, payment_id, posting_count, occurred_at, reason)
   SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::timestamptz[],
                        $7::text[])
   ON CONFLICT (kind, reference) DO NOTHING
   RETURNING id, kind, reference, recorded_at`,
);

// Only ever asked for movements that conflicted, so rarely; the debits are what must match.
const RECORDED_DEBITS = preparedStatement(
  'ledger_recorded_debits',
  `SELECT transaction.id AS transaction_id, transaction.kind, transaction.reference,
          posting.account_id, posting.amount_minor
   FROM ledger_transactions AS transaction
   JOIN postings AS posting ON posting.transaction_id = transaction.id AND posting.amount_minor > 0
   WHERE (transaction.kind, transaction.reference) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
);

// Accounts are created on first use, in byte order (whatever the database's collation) like the
// locks below, so that two writers creating the same accounts wait on each other in one order.
const ENSURE_ACCOUNTS = preparedStatement(
  'ledger_ensure_accounts',
  `INSERT INTO accounts (id, kind, owner, merchant_id, currency, normal_side)
   SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
     AS account(id, kind, owner, merchant_id, currency, normal_side)
   ORDER BY account.id COLLATE "C"
   ON CONFLICT (id) DO NOTHING`,
);

// Rows are locked as the sort returns them, so in id order. NO KEY UPDATE is the lock the balance
// update takes anyway; unlike FOR UPDATE it lets other writers' posting inserts check their
// foreign key (KEY SHARE) without queueing behind it.
const LOCK_ACCOUNTS = preparedStatement(
  'ledger_lock_accounts',
  `SELECT id, kind, owner, merchant_id, currency, balance_minor, version
   FROM accounts WHERE id = ANY($1::text[])
   ORDER BY id COLLATE "C"
   FOR NO KEY UPDATE`,
);

// WITH ORDINALITY keeps the entries' order in the identity ids.
const INSERT_POSTINGS = preparedStatement(
  'ledger_insert_postings',
  `INSERT INTO postings (transaction_id, account_id, currency, amount_minor)
   SELECT transaction_id, account_id, currency, amount_minor
   FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY
     AS line(transaction_id, account_id, currency, amount_minor, position)
   ORDER BY position`,
);

// One row per account per call, however many transactions moved it.
const MOVE_BALANCES = preparedStatement(
  'ledger_move_balances',
  `UPDATE accounts AS account
   SET balance_minor = account.balance_minor + moved.delta_minor,
       version = account.version + moved.transaction_count,
       updated_at = now()
   FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS moved(account_id, delta_minor, transaction_count)
   WHERE account.id = moved.account_id
   RETURNING account.id, account.balance_minor, account.version`,
);

/**
 * Writes journal entries set-based: one statement each for the transactions, the accounts'
 * creation, their locks, the postings and the running balances, whatever the number of entries.
 *
 * No global lock: accounts are locked in id order, so two writers, in this instance or another,
 * can wait on each other but never in a cycle. The hot accounts (fee revenue, PSP clearing) still
 * serialise writers, but once per chunk rather than once per entry.
 */
@Injectable()
export class JournalRepository {
  /**
   * Records each movement in the caller's transaction unless its kind and reference were recorded
   * before; `movements` must name each kind and reference once. The database checks each
   * transaction's balance again when the caller commits. Called once per transaction: a second
   * call would lock its accounts after the first call's, out of id order across the two.
   */
  async record(
    manager: EntityManager,
    movements: readonly Movement[],
  ): Promise<Map<string, MovementOutcome>> {
    const outcomes = new Map<string, MovementOutcome>();
    if (movements.length === 0) return outcomes;
    const inserted = await this.insertTransactions(manager, movements);
    const written = movements.filter((movement) => inserted.has(movementKeyOf(movement.entry)));
    if (written.length > 0) {
      await this.post(manager, written, inserted);
    }
    for (const [key, transaction] of inserted) outcomes.set(key, { written: true, transaction });
    const earlier = movements.filter((movement) => !inserted.has(movementKeyOf(movement.entry)));
    if (earlier.length > 0) {
      for (const [key, outcome] of await this.recordedBefore(manager, earlier)) outcomes.set(key, outcome);
    }
    return outcomes;
  }

  private async insertTransactions(
    manager: EntityManager,
    movements: readonly Movement[],
  ): Promise<Map<string, RecordedTransaction>> {
    const rows = await runPrepared<InsertedTransactionRow>(manager, INSERT_TRANSACTIONS, [
      movements.map(() => randomUUID()),
      movements.map((movement) => movement.entry.kind),
      movements.map((movement) => movement.entry.reference),
      movements.map((movement) => movement.entry.paymentId),
      movements.map((movement) => movement.entry.postings.length),
      movements.map((movement) => movement.occurredAt),
      movements.map((movement) => movement.entry.reason ?? null),
    ]);
    return new Map(
      rows.map((row) => [movementKeyOf(row), { id: row.id, recordedAt: row.recorded_at }] as const),
    );
  }

  /** The postings of the newly inserted transactions, and the balances they move. */
  private async post(
    manager: EntityManager,
    written: readonly Movement[],
    inserted: ReadonlyMap<string, RecordedTransaction>,
  ): Promise<void> {
    const entries = written.map((movement) => movement.entry);
    const accountMovements = accountMovementsOf(entries);
    const locked = await this.lockAccounts(
      manager,
      accountMovements.map((movement) => movement.account),
    );
    const lines = entries.flatMap((entry) => {
      const transaction = inserted.get(movementKeyOf(entry));
      if (transaction === undefined)
        throw new LedgerIntegrityError(`${movementKeyOf(entry)} has no transaction`);
      return entry.postings.map((item) => ({ transactionId: transaction.id, item }));
    });
    await runPrepared(manager, INSERT_POSTINGS, [
      lines.map((line) => line.transactionId),
      lines.map((line) => line.item.account.id),
      lines.map((line) => line.item.account.currency),
      lines.map((line) => signedAmountMinorOf(line.item).toString()),
    ]);
    const moved = await runPrepared<MovedAccountRow>(manager, MOVE_BALANCES, [
      accountMovements.map((movement) => movement.account.id),
      accountMovements.map((movement) => movement.deltaMinor.toString()),
      accountMovements.map((movement) => movement.transactionCount),
    ]);
    assertBalancesMoved(balancesAfter(locked, accountMovements), moved);
  }

  /** Creates missing accounts, then locks all of them in id order and reads their balances. */
  private async lockAccounts(
    manager: EntityManager,
    accounts: readonly AccountRef[],
  ): Promise<AccountBalance[]> {
    const ids = accounts.map((account) => account.id);
    await runPrepared(manager, ENSURE_ACCOUNTS, [
      ids,
      accounts.map((account) => account.kind),
      accounts.map((account) => account.owner),
      accounts.map((account) => account.merchantId),
      accounts.map((account) => account.currency),
      accounts.map((account) => account.normalSide),
    ]);
    const locked = await runPrepared<LockedAccountRow>(manager, LOCK_ACCOUNTS, [ids]);
    assertSameAccounts(accounts, locked);
    return locked.map((row) => ({
      accountId: row.id,
      balanceMinor: BigInt(row.balance_minor),
      version: BigInt(row.version),
    }));
  }

  /** The transaction id and debits of movements recorded before, by movement key. */
  private async recordedBefore(
    manager: EntityManager,
    movements: readonly Movement[],
  ): Promise<Map<string, MovementOutcome>> {
    const rows = await runPrepared<RecordedDebitRow>(manager, RECORDED_DEBITS, [
      movements.map((movement) => movement.entry.kind),
      movements.map((movement) => movement.entry.reference),
    ]);
    const byKey = new Map<string, RecordedDebitRow[]>();
    for (const row of rows) {
      const key = movementKeyOf(row);
      byKey.set(key, [...(byKey.get(key) ?? []), row]);
    }
    const outcomes = new Map<string, MovementOutcome>();
    for (const movement of movements) {
      const key = movementKeyOf(movement.entry);
      const recorded = byKey.get(key);
      const transactionId = recorded?.[0]?.transaction_id;
      if (recorded === undefined || transactionId === undefined) {
        throw new LedgerIntegrityError(`${key} conflicted on insert but cannot be found`);
      }
      const debits = recorded.map((row) => ({
        accountId: row.account_id,
        signedAmountMinor: BigInt(row.amount_minor),
      }));
      outcomes.set(key, { written: false, transactionId, debitsSignature: debitsSignatureOf(debits) });
    }
    return outcomes;
  }
}

/** The rows locked are the accounts named, with the same kind, owner, merchant and currency. */
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
        row.merchant_id === account.merchantId &&
        row.currency === account.currency
      );
    });
  if (!matches) {
    throw new LedgerIntegrityError(
      `Locked accounts ${locked.map((row) => row.id).join(', ')} differ from ${expected.map((account) => account.id).join(', ')}`,
    );
  }
}

/** Each moved account holds exactly the balance and version computed from its locked row. */
function assertBalancesMoved(expected: readonly AccountBalance[], moved: readonly MovedAccountRow[]): void {
  const movedById = new Map(moved.map((row) => [row.id, row]));
  const wrong = expected.filter((balance) => {
    const row = movedById.get(balance.accountId);
    return (
      row === undefined ||
      BigInt(row.balance_minor) !== balance.balanceMinor ||
      BigInt(row.version) !== balance.version
    );
  });
  if (moved.length !== expected.length || wrong.length > 0) {
    throw new LedgerIntegrityError(
      `Balances moved wrongly: ${moved.length} of ${expected.length} accounts updated, wrong: ${wrong.map((balance) => balance.accountId).join(', ')}`,
    );
  }
}
