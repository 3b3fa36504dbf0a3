/**
 * Why the wallet domain refused something. A const object rather than a TypeScript enum so callers
 * can compare `error.code` with plain strings without casts, as `MoneyErrorCode` does.
 */
export const WalletErrorCode = {
  INVALID_CREDIT: 'INVALID_CREDIT',
  BALANCE_MISMATCH: 'BALANCE_MISMATCH',
  CONFLICTING_CREDIT: 'CONFLICTING_CREDIT',
  WALLET_NOT_LOCKED: 'WALLET_NOT_LOCKED',
  INVALID_CURSOR: 'INVALID_CURSOR',
  INVALID_PAGE_LIMIT: 'INVALID_PAGE_LIMIT',
} as const;

export type WalletErrorCode = (typeof WalletErrorCode)[keyof typeof WalletErrorCode];

/** The one error type of the wallet domain; `code` says why, `message` says it to a human. */
export class WalletError extends Error {
  readonly code: WalletErrorCode;

  constructor(code: WalletErrorCode, message: string) {
    super(message);
    this.name = 'WalletError';
    this.code = code;
  }
}
