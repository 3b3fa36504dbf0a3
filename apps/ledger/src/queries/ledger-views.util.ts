import {
  accountRef,
  assertBalanced,
  isAccountKind,
  LedgerError,
  normalBalanceMinorOf,
  postingFromSigned,
  type AccountRef,
  type Posting,
} from '@keel/ledger-domain';
import { isCurrencyCode, type CurrencyCode, type MoneyJson } from '@keel/money';
import { LedgerIntegrityError } from '../ledger.errors';
import type { AccountPostingRow, AccountRow } from './account.repository';
import type { AccountPostingView, AccountView } from './account.view';
import type { TransactionPostingRow, TransactionRow } from './transaction.repository';
import type { TransactionView } from './transaction.view';
import type { TrialBalanceAccountView } from './trial-balance.view';

/**
 * Rows become views only after the read-side assertions: an account's id must be the one its
 * kind, owner, merchant and currency give, and a transaction must balance with the postings it declares.
 */
export function accountRefOfRow(
  row: Pick<AccountRow, 'id' | 'kind' | 'owner' | 'merchant_id' | 'currency'>,
): AccountRef {
  const { kind, currency } = row;
  if (!isAccountKind(kind) || !isCurrencyCode(currency)) {
    throw new LedgerIntegrityError(`Account ${row.id} has kind ${kind} and currency ${currency}`);
  }
  const ref = withIntegrity(() => accountRef(kind, row.owner, currency, row.merchant_id));
  if (ref.id !== row.id) {
    throw new LedgerIntegrityError(`Account ${row.id} is stored with the attributes of ${ref.id}`);
  }
  return ref;
}

export function accountViewOf(row: AccountRow): AccountView {
  const ref = accountRefOfRow(row);
  if (row.normal_side !== ref.normalSide) {
    throw new LedgerIntegrityError(`Account ${row.id} is stored as ${row.normal_side}-normal`);
  }
  return {
    id: ref.id,
    kind: ref.kind,
    type: ref.type,
    owner: ref.owner,
    merchantId: ref.merchantId,
    currency: ref.currency,
    normalSide: ref.normalSide,
    balance: moneyJson(normalBalanceMinorOf(ref.normalSide, BigInt(row.balance_minor)), ref.currency),
    version: safeCount(row.version, row.id),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function trialBalanceAccountOf(row: AccountRow): TrialBalanceAccountView {
  const view = accountViewOf(row);
  const debitMinusCreditMinor = BigInt(row.balance_minor);
  const currency = view.balance.currency;
  return {
    id: view.id,
    kind: view.kind,
    owner: view.owner,
    merchantId: view.merchantId,
    currency: view.currency,
    normalSide: view.normalSide,
    debitBalance: moneyJson(debitMinusCreditMinor > 0n ? debitMinusCreditMinor : 0n, currency),
    creditBalance: moneyJson(debitMinusCreditMinor < 0n ? -debitMinusCreditMinor : 0n, currency),
  };
}

export function accountPostingViewOf(account: AccountRef, row: AccountPostingRow): AccountPostingView {
  const item = withIntegrity(() => postingFromSigned(account, BigInt(row.amount_minor)));
  return {
    postingId: row.id,
    transactionId: row.transaction_id,
    transactionKind: row.kind,
    reference: row.reference,
    paymentId: row.payment_id,
    direction: item.direction,
    amount: item.amount.toJSON(),
    recordedAt: row.recorded_at.toISOString(),
  };
}

/** The transaction with its postings, asserted to balance with exactly posting_count postings. */
export function transactionViewOf(
  row: TransactionRow,
  postingRows: readonly TransactionPostingRow[],
): TransactionView {
  const postings: { id: string; posting: Posting }[] = postingRows.map((postingRow) => {
    const account = accountRefOfRow({
      id: postingRow.account_id,
      kind: postingRow.account_kind,
      owner: postingRow.account_owner,
      merchant_id: postingRow.account_merchant_id,
      currency: postingRow.currency,
    });
    return {
      id: postingRow.id,
      posting: withIntegrity(() => postingFromSigned(account, BigInt(postingRow.amount_minor))),
    };
  });
  if (postings.length !== row.posting_count) {
    throw new LedgerIntegrityError(
      `Transaction ${row.id} has ${postings.length} of ${row.posting_count} postings`,
    );
  }
  withIntegrity(() => assertBalanced(postings.map((item) => item.posting)));
  return {
    id: row.id,
    kind: row.kind,
    reference: row.reference,
    paymentId: row.payment_id,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    postings: postings.map(({ id, posting }) => ({
      postingId: id,
      accountId: posting.account.id,
      direction: posting.direction,
      amount: posting.amount.toJSON(),
    })),
  };
}

export function moneyJson(amountMinor: bigint, currency: CurrencyCode): MoneyJson {
  return { amountMinor: amountMinor.toString(), currency };
}

/** A bigint count as a number; past 2^53 it would silently lose precision, so that is refused. */
export function safeCount(value: string, what: string): number {
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new LedgerIntegrityError(`Count ${value} of ${what} is not a safe non-negative integer`);
  }
  return count;
}

/** Domain refusals while reading stored data mean the data is corrupt, not the request. */
function withIntegrity<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof LedgerError) throw new LedgerIntegrityError(error.message, { cause: error });
    throw error;
  }
}
