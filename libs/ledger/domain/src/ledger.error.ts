/**
 * Why the ledger refused to build or accept a journal entry. A const object rather than a
 * TypeScript enum so callers can compare `error.code` with plain strings without casts.
 */
export const LedgerErrorCode = {
  /** The debits and credits of an entry differ in some currency. */
  UNBALANCED_ENTRY: 'UNBALANCED_ENTRY',
  /** Fewer postings than double entry needs, or more than one event may carry. */
  POSTING_COUNT_OUT_OF_RANGE: 'POSTING_COUNT_OUT_OF_RANGE',
  /** A posting amount is zero or negative; the direction carries the sign. */
  NON_POSITIVE_POSTING: 'NON_POSITIVE_POSTING',
  /** A posting is in another currency than its account. */
  CURRENCY_MISMATCH: 'CURRENCY_MISMATCH',
  /** An account owner (PSP or seller id) that cannot form a stable account id. */
  INVALID_ACCOUNT_OWNER: 'INVALID_ACCOUNT_OWNER',
  /** The amount to post is not above zero. */
  INVALID_AMOUNT: 'INVALID_AMOUNT',
  /** A transaction reference or payment id that is empty or too long. */
  INVALID_REFERENCE: 'INVALID_REFERENCE',
  /** A fee is in another currency, negative, or not below the amount it is taken from. */
  FEE_OUT_OF_RANGE: 'FEE_OUT_OF_RANGE',
  /** Balances were to be moved on an account whose balance before was not read. */
  UNKNOWN_ACCOUNT_BALANCE: 'UNKNOWN_ACCOUNT_BALANCE',
} as const;

export type LedgerErrorCode = (typeof LedgerErrorCode)[keyof typeof LedgerErrorCode];

/** The one error type of the ledger domain; `code` says why, `message` says it to a human. */
export class LedgerError extends Error {
  readonly code: LedgerErrorCode;

  constructor(code: LedgerErrorCode, message: string) {
    super(message);
    this.name = 'LedgerError';
    this.code = code;
  }
}
