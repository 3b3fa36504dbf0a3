import { InvalidCursorError } from './ledger-http.error';

/**
 * Cursors are opaque to clients: base64url of the last item's sort key, so a client cannot
 * build one by hand and the key's format can change without breaking anyone.
 */
export function encodeCursor(sortKey: string): string {
  return Buffer.from(sortKey, 'utf8').toString('base64url');
}

/** The sort key in `cursor`, which must match `pattern`; anything else is an invalid cursor. */
export function decodeCursor(cursor: string, pattern: RegExp): string {
  const sortKey = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!pattern.test(sortKey) || encodeCursor(sortKey) !== cursor) throw new InvalidCursorError();
  return sortKey;
}

/** A page from `limit + 1` fetched rows: the extra row only says that there is a next page. */
export function pageOf<T>(rows: readonly T[], limit: number, sortKeyOf: (row: T) => string): PageOf<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(sortKeyOf(last)) : null,
  };
}

export interface PageOf<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}
