import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** An accounts row as stored; balance_minor is debits minus credits. */
export interface AccountRow {
  id: string;
  kind: string;
  owner: string | null;
  merchant_id: string | null;
  currency: string;
  normal_side: string;
  balance_minor: string;
  version: string;
  created_at: Date;
  updated_at: Date;
}

export interface AccountPostingRow {
  id: string;
  transaction_id: string;
  amount_minor: string;
  currency: string;
  kind: string;
  reference: string;
  payment_id: string;
  recorded_at: Date;
}

export interface AccountFilter {
  readonly owner?: string;
  /** The merchant of seller payables; only they have one. */
  readonly merchantId?: string;
  readonly kind?: string;
  readonly currency?: string;
}

/** Per currency: the sum of debit balances and, as a positive number, of credit balances. */
export interface CurrencyTotalsRow {
  currency: string;
  debit_balances_minor: string;
  credit_balances_minor: string;
}

export interface BalanceMismatchRow {
  id: string;
  balance_minor: string;
  version: string;
  postings_sum_minor: string;
  transaction_count: string;
  mismatch_count: string;
}

const ACCOUNT_COLUMNS = `id, kind, owner, merchant_id, currency, normal_side, balance_minor, version,
  created_at, updated_at`;

// Keyset pagination by id; each filter applies only when given.
const LIST_ACCOUNTS_SQL = `
  SELECT ${ACCOUNT_COLUMNS} FROM accounts
  WHERE ($1::text IS NULL OR owner = $1)
    AND ($2::text IS NULL OR kind = $2)
    AND ($3::text IS NULL OR currency = $3)
    AND ($4::text IS NULL OR id > $4)
    AND ($6::text IS NULL OR merchant_id = $6)
  ORDER BY id
  LIMIT $5`;

// Newest first, keyset on the posting id.
const ACCOUNT_POSTINGS_SQL = `
  SELECT posting.id, posting.transaction_id, posting.amount_minor, posting.currency,
         transaction.kind, transaction.reference, transaction.payment_id, transaction.recorded_at
  FROM postings AS posting
  JOIN ledger_transactions AS transaction ON transaction.id = posting.transaction_id
  WHERE posting.account_id = $1 AND ($2::bigint IS NULL OR posting.id < $2)
  ORDER BY posting.id DESC
  LIMIT $3`;

// From the running balances, never from the postings; numeric sums cannot overflow.
const CURRENCY_TOTALS_SQL = `
  SELECT currency,
         coalesce(sum(balance_minor) FILTER (WHERE balance_minor > 0), 0)::text AS debit_balances_minor,
         coalesce(-sum(balance_minor) FILTER (WHERE balance_minor < 0), 0)::text AS credit_balances_minor
  FROM accounts
  GROUP BY currency
  ORDER BY currency`;

const TRIAL_BALANCE_ACCOUNTS_SQL = `
  SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY currency, id LIMIT $1`;

// The one place that sums postings: the running balance and version of every account must equal
// the sum of its postings and the number of transactions that posted to it.
const BALANCE_MISMATCHES_SQL = `
  SELECT account.id, account.balance_minor, account.version,
         coalesce(posted.sum_minor, 0)::text AS postings_sum_minor,
         coalesce(posted.transaction_count, 0) AS transaction_count,
         count(*) OVER () AS mismatch_count
  FROM accounts AS account
  LEFT JOIN (
    SELECT account_id, sum(amount_minor) AS sum_minor, count(DISTINCT transaction_id) AS transaction_count
    FROM postings GROUP BY account_id
  ) AS posted ON posted.account_id = account.id
  WHERE account.balance_minor <> coalesce(posted.sum_minor, 0)
     OR account.version <> coalesce(posted.transaction_count, 0)
  ORDER BY account.id
  LIMIT $1`;

/** Reads accounts, their postings and balance totals; the caller picks the transaction. */
@Injectable()
export class AccountRepository {
  async findById(manager: EntityManager, accountId: string): Promise<AccountRow | undefined> {
    const rows = (await manager.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [
      accountId,
    ])) as AccountRow[];
    return rows[0];
  }

  /** Up to `limit` accounts after `afterId` in id order. */
  list(
    manager: EntityManager,
    filter: AccountFilter,
    afterId: string | null,
    limit: number,
  ): Promise<AccountRow[]> {
    return manager.query(LIST_ACCOUNTS_SQL, [
      filter.owner ?? null,
      filter.kind ?? null,
      filter.currency ?? null,
      afterId,
      limit,
      filter.merchantId ?? null,
    ]) as Promise<AccountRow[]>;
  }

  /** Up to `limit` postings of the account with ids below `beforeId`, newest first. */
  postings(
    manager: EntityManager,
    accountId: string,
    beforeId: string | null,
    limit: number,
  ): Promise<AccountPostingRow[]> {
    return manager.query(ACCOUNT_POSTINGS_SQL, [accountId, beforeId, limit]) as Promise<AccountPostingRow[]>;
  }

  currencyTotals(manager: EntityManager): Promise<CurrencyTotalsRow[]> {
    return manager.query(CURRENCY_TOTALS_SQL) as Promise<CurrencyTotalsRow[]>;
  }

  /** The first `limit` accounts in currency then id order. */
  trialBalanceAccounts(manager: EntityManager, limit: number): Promise<AccountRow[]> {
    return manager.query(TRIAL_BALANCE_ACCOUNTS_SQL, [limit]) as Promise<AccountRow[]>;
  }

  async count(manager: EntityManager): Promise<number> {
    const rows = (await manager.query('SELECT count(*)::int AS n FROM accounts')) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  /** Accounts whose running balance or version disagrees with their postings, the first `limit`. */
  balanceMismatches(manager: EntityManager, limit: number): Promise<BalanceMismatchRow[]> {
    return manager.query(BALANCE_MISMATCHES_SQL, [limit]) as Promise<BalanceMismatchRow[]>;
  }
}
