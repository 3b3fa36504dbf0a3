import { Inject, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DataSource, type EntityManager } from 'typeorm';
import { decodePageCursor, InvalidPageCursorError, pageOf, type PageRequest } from '@keel/contracts';
import { ACCOUNT_ID_LENGTH_MAX, trialBalanceOf, type CurrencyBalanceTotals } from '@keel/ledger-domain';
import { isCurrencyCode } from '@keel/money';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { LedgerEnvironment } from '../ledger.environment';
import {
  AccountNotFoundError,
  InvalidCursorError,
  LedgerIntegrityError,
  TransactionNotFoundError,
} from '../ledger.errors';
import {
  AccountRepository,
  type AccountFilter,
  type AccountRow,
  type CurrencyTotalsRow,
} from './account.repository';
import type { AccountPage, AccountPostingPage, AccountView } from './account.view';
import {
  accountPostingViewOf,
  accountRefOfRow,
  accountViewOf,
  safeCount,
  transactionViewOf,
  trialBalanceAccountOf,
} from './ledger-views.util';
import type { TransactionList, TransactionView } from './transaction.view';
import { TransactionRepository } from './transaction.repository';
import type { BalanceCheckView, TrialBalanceView } from './trial-balance.view';

const ACCOUNT_ID_CURSOR_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const POSTING_ID_CURSOR_PATTERN = /^[1-9][0-9]{0,18}$/;

/** The row id a list's cursor names; a cursor this list did not issue is the ledger's 400. */
function positionIn(cursor: string, idPattern: RegExp): string {
  try {
    return decodePageCursor(cursor, (position) => (idPattern.test(position) ? position : undefined));
  } catch (error) {
    if (error instanceof InvalidPageCursorError) throw new InvalidCursorError();
    throw error;
  }
}

/** The ledger's read side. Balances come from the running balances, never from summing postings. */
@Injectable()
export class LedgerQueryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountRepository,
    private readonly transactions: TransactionRepository,
    private readonly environment: LedgerEnvironment,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  async account(accountId: string): Promise<AccountView> {
    return accountViewOf(await this.existingAccount(this.dataSource.manager, accountId));
  }

  async listAccounts(query: AccountFilter & PageRequest): Promise<AccountPage> {
    const limit = this.pageSize(query);
    const afterId = query.cursor === undefined ? null : positionIn(query.cursor, ACCOUNT_ID_CURSOR_PATTERN);
    const rows = await this.accounts.list(this.dataSource.manager, query, afterId, limit + 1);
    const page = pageOf(rows, limit, (row) => row.id);
    return { data: page.items.map(accountViewOf), nextCursor: page.nextCursor };
  }

  /** The account's postings, newest first; an unknown account is a 404, not an empty page. */
  async accountPostings(accountId: string, query: PageRequest): Promise<AccountPostingPage> {
    const limit = this.pageSize(query);
    const beforeId = query.cursor === undefined ? null : positionIn(query.cursor, POSTING_ID_CURSOR_PATTERN);
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const account = accountRefOfRow(await this.existingAccount(manager, accountId));
      const rows = await this.accounts.postings(manager, account.id, beforeId, limit + 1);
      const page = pageOf(rows, limit, (row) => row.id);
      return {
        accountId: account.id,
        data: page.items.map((row) => accountPostingViewOf(account, row)),
        nextCursor: page.nextCursor,
      };
    });
  }

  async transaction(transactionId: string): Promise<TransactionView> {
    // Not a UUID cannot be an id of ours; asking the uuid column would be a 500.
    if (!isUUID(transactionId)) throw new TransactionNotFoundError(transactionId);
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const row = await this.transactions.findById(manager, transactionId);
      if (row === undefined) throw new TransactionNotFoundError(transactionId);
      return transactionViewOf(row, await this.transactions.postingsOf(manager, [row.id]));
    });
  }

  async transactionsByReference(reference: string): Promise<TransactionList> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const rows = await this.transactions.findByReference(manager, reference);
      const postings = await this.transactions.postingsOf(
        manager,
        rows.map((row) => row.id),
      );
      return {
        data: rows.map((row) =>
          transactionViewOf(
            row,
            postings.filter((posting) => posting.transaction_id === row.id),
          ),
        ),
      };
    });
  }

  /** Totals over every account and the listed accounts, read from one snapshot. */
  async trialBalance(): Promise<TrialBalanceView> {
    const maxAccounts = this.environment.LEDGER_TRIAL_BALANCE_ACCOUNTS_MAX;
    const { totals, accountRows } = await this.dataSource.transaction('REPEATABLE READ', async (manager) => ({
      totals: await this.accounts.currencyTotals(manager),
      accountRows: await this.accounts.trialBalanceAccounts(manager, maxAccounts + 1),
    }));
    const trialBalance = trialBalanceOf(totals.map(currencyTotalsOf));
    if (!trialBalance.balanced) {
      // The journal balances by construction, so this means a running balance drifted.
      this.logger.error(
        { currencies: trialBalance.lines.filter((line) => !line.balanced).map((line) => line.currency) },
        'trial balance does not balance',
      );
    }
    return {
      balanced: trialBalance.balanced,
      currencies: trialBalance.lines.map((line) => ({
        currency: line.currency,
        totalDebits: line.totalDebits.toJSON(),
        totalCredits: line.totalCredits.toJSON(),
        balanced: line.balanced,
      })),
      accounts: accountRows.slice(0, maxAccounts).map(trialBalanceAccountOf),
      accountsTruncated: accountRows.length > maxAccounts,
    };
  }

  /** Compares every running balance and version with the postings; costs a scan of both. */
  async balanceCheck(): Promise<BalanceCheckView> {
    const maxMismatches = this.environment.LEDGER_BALANCE_CHECK_MISMATCHES_MAX;
    const { accountsChecked, rows } = await this.dataSource.transaction(
      'REPEATABLE READ',
      async (manager) => ({
        accountsChecked: await this.accounts.count(manager),
        rows: await this.accounts.balanceMismatches(manager, maxMismatches),
      }),
    );
    const mismatchCount = rows[0] === undefined ? 0 : safeCount(rows[0].mismatch_count, 'balance mismatches');
    if (mismatchCount > 0) {
      this.logger.error({ mismatchCount }, 'running balances disagree with their postings');
    }
    return {
      consistent: mismatchCount === 0,
      accountsChecked,
      mismatchCount,
      mismatches: rows.map((row) => ({
        accountId: row.id,
        balanceMinor: row.balance_minor,
        postingsSumMinor: row.postings_sum_minor,
        version: safeCount(row.version, row.id),
        transactionCount: safeCount(row.transaction_count, row.id),
      })),
    };
  }

  private async existingAccount(manager: EntityManager, accountId: string): Promise<AccountRow> {
    const row =
      accountId.length > ACCOUNT_ID_LENGTH_MAX ? undefined : await this.accounts.findById(manager, accountId);
    if (row === undefined) throw new AccountNotFoundError(accountId);
    return row;
  }

  /** The requested limit, lowered to the configured maximum; the default when none is asked. */
  private pageSize(query: PageRequest): number {
    return Math.min(
      query.limit ?? this.environment.LEDGER_PAGE_SIZE_DEFAULT,
      this.environment.LEDGER_PAGE_SIZE_MAX,
    );
  }
}

function currencyTotalsOf(row: CurrencyTotalsRow): CurrencyBalanceTotals {
  if (!isCurrencyCode(row.currency)) {
    throw new LedgerIntegrityError(`Accounts are kept in an unknown currency ${row.currency}`);
  }
  return {
    currency: row.currency,
    debitBalancesMinor: BigInt(row.debit_balances_minor),
    creditBalancesMinor: BigInt(row.credit_balances_minor),
  };
}
