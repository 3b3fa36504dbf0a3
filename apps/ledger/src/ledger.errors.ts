import { DomainError } from '@keel/observability';

/** The problems the ledger's read API answers with; codes are the last segment of the type URI. */
export const LedgerProblemCode = {
  ACCOUNT_NOT_FOUND: 'ledger-account-not-found',
  TRANSACTION_NOT_FOUND: 'ledger-transaction-not-found',
  INVALID_CURSOR: 'invalid-cursor',
} as const;

export class AccountNotFoundError extends DomainError {
  constructor(accountId: string) {
    super({
      code: LedgerProblemCode.ACCOUNT_NOT_FOUND,
      status: 404,
      title: 'Account not found',
      detail: `No ledger account has the id ${JSON.stringify(accountId)}.`,
      extensions: { accountId },
    });
  }
}

export class TransactionNotFoundError extends DomainError {
  constructor(transactionId: string) {
    super({
      code: LedgerProblemCode.TRANSACTION_NOT_FOUND,
      status: 404,
      title: 'Transaction not found',
      detail: `No ledger transaction has the id ${JSON.stringify(transactionId)}.`,
      extensions: { transactionId },
    });
  }
}

export class InvalidCursorError extends DomainError {
  constructor() {
    super({
      code: LedgerProblemCode.INVALID_CURSOR,
      status: 400,
      title: 'Invalid cursor',
      detail: 'The cursor was not issued by this list; start again without one.',
    });
  }
}

/**
 * An invariant of the stored ledger did not hold: at the write (a locked account that differs
 * from the one named, a balance that moved by another amount) or at the read (a transaction
 * that does not balance, an account whose id does not match its kind, owner and currency).
 * It means a bug or tampering, never bad input: a write rolls back and its event is retried,
 * then dead-lettered; a read answers 500 and is logged.
 */
export class LedgerIntegrityError extends Error {
  override readonly name = 'LedgerIntegrityError';
}
