import { encodeEntryCursor } from './entry-cursor';
import { WalletError, WalletErrorCode } from './wallet.error';

export interface PageLimits {
  /** Entries per page when the client asks for no limit. */
  readonly defaultLimit: number;
  /** The most entries one page may hold. */
  readonly maxLimit: number;
}

/** One page of entries, newest first; `nextCursor` is null on the last page. */
export interface EntryPage<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
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

/**
 * Builds a page from `limit + 1` rows read newest first: the extra row only tells that another
 * page exists, and the cursor points past the last row shown.
 */
export function entryPageOf<T extends { readonly id: bigint }>(
  rows: readonly T[],
  limit: number,
): EntryPage<T> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new WalletError(
      WalletErrorCode.INVALID_PAGE_LIMIT,
      `A page holds at least one entry, got ${limit}`,
    );
  }
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: last === undefined ? null : encodeEntryCursor({ beforeEntryId: last.id }),
  };
}
