import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface TransactionRow {
  id: string;
  kind: string;
  reference: string;
  payment_id: string;
  posting_count: number;
  occurred_at: Date;
  recorded_at: Date;
}

/** A posting with the account it is on, enough to rebuild the account reference. */
export interface TransactionPostingRow {
  id: string;
  transaction_id: string;
  account_id: string;
  amount_minor: string;
  currency: string;
  account_kind: string;
  account_owner: string | null;
  account_merchant_id: string | null;
}

const TRANSACTION_COLUMNS = 'id, kind, reference, payment_id, posting_count, occurred_at, recorded_at';

// A reference is unique per kind, so kinds bound how many transactions share it.
const TRANSACTIONS_BY_REFERENCE_LIMIT = 50;

const POSTINGS_OF_TRANSACTIONS_SQL = `
  SELECT posting.id, posting.transaction_id, posting.account_id, posting.amount_minor, posting.currency,
         account.kind AS account_kind, account.owner AS account_owner,
         account.merchant_id AS account_merchant_id
  FROM postings AS posting
  JOIN accounts AS account ON account.id = posting.account_id
  WHERE posting.transaction_id = ANY($1::uuid[])
  ORDER BY posting.id`;

/** Reads ledger transactions with their postings. */
@Injectable()
export class TransactionRepository {
  async findById(manager: EntityManager, transactionId: string): Promise<TransactionRow | undefined> {
    const rows = (await manager.query(
      `SELECT ${TRANSACTION_COLUMNS} FROM ledger_transactions WHERE id = $1`,
      [transactionId],
    )) as TransactionRow[];
    return rows[0];
  }

  findByReference(manager: EntityManager, reference: string): Promise<TransactionRow[]> {
    return manager.query(
      `SELECT ${TRANSACTION_COLUMNS} FROM ledger_transactions WHERE reference = $1 ORDER BY recorded_at, id LIMIT $2`,
      [reference, TRANSACTIONS_BY_REFERENCE_LIMIT],
    ) as Promise<TransactionRow[]>;
  }

  postingsOf(manager: EntityManager, transactionIds: readonly string[]): Promise<TransactionPostingRow[]> {
    return manager.query(POSTINGS_OF_TRANSACTIONS_SQL, [transactionIds]) as Promise<TransactionPostingRow[]>;
  }
}
