import { pageOf, type Page } from '@keel/contracts';
import { entryPosition } from './entry-cursor';
import { WalletError, WalletErrorCode } from './wallet.error';

export interface PageLimits {
  /** Entries per page when the client asks for no limit. */
  readonly defaultLimit: number;
  /** The most entries one page may hold. */
  readonly maxLimit: number;
}

/** The page size to read: the client's, within `1..maxLimit`, or the default. */
export function resolvePageLimit(requested: number | undefined, limits: PageLimits): number {
  if (requested === undefined) return limits.defaultLimit;
  if (!Number.isInteger(requested) || requested < 1 || requested > limits.maxLimit) {
    throw new WalletError(
      WalletErrorCode.INVALID_PAGE_LIMIT,
      `limit must be an integer from 1 to ${limits.maxLimit}, got ${requested}`,
    );
  }
  return requested;
}

/** One page of entries read newest first, `limit + 1` of them (see `pageOf`). */
export function entryPageOf<T extends { readonly id: bigint }>(rows: readonly T[], limit: number): Page<T> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new WalletError(
      WalletErrorCode.INVALID_PAGE_LIMIT,
      `A page holds at least one entry, got ${limit}`,
    );
  }
  return pageOf(rows, limit, (row) => entryPosition({ beforeEntryId: row.id }));
}
