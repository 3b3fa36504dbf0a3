import { DomainError } from '@keel/observability';

/** The problem codes of the wallet's HTTP API (`https://keel.dev/problems/<code>`). */
export const WalletProblemCode = {
  WalletNotFound: 'wallet-not-found',
  InvalidCursor: 'invalid-cursor',
  InvalidPageLimit: 'invalid-page-limit',
} as const;

export type WalletProblemCode = (typeof WalletProblemCode)[keyof typeof WalletProblemCode];

/** The seller has never been credited, so there is no wallet to show. */
export class WalletNotFoundError extends DomainError {
  constructor(merchantId: string, sellerId: string) {
    super({
      code: WalletProblemCode.WalletNotFound,
      status: 404,
      title: 'Wallet not found',
      detail: `Seller ${sellerId} of merchant ${merchantId} has no wallet.`,
      extensions: { merchantId, sellerId },
    });
  }
}

/** A paging parameter the API cannot honour: a cursor it did not issue, or a limit beyond the maximum. */
export class InvalidWalletQueryError extends DomainError {
  constructor(
    code: typeof WalletProblemCode.InvalidCursor | typeof WalletProblemCode.InvalidPageLimit,
    detail: string,
  ) {
    super({
      code,
      status: 400,
      title: code === WalletProblemCode.InvalidCursor ? 'Invalid cursor' : 'Invalid page limit',
      detail,
    });
  }
}
