/**
 * The page cursors of every list in Keel's HTTP APIs. A cursor is opaque to clients: base64url of
 * where the page ended (the last item's position in the list's order, as text), so a client cannot
 * build one by hand and a position's form can change without breaking anyone. Each list says what
 * its positions look like; this module is the one encoder and decoder.
 */

const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+$/;

/** A cursor this API did not issue: each service answers it as its own 400 problem. */
export class InvalidPageCursorError extends Error {
  override readonly name = 'InvalidPageCursorError';

  constructor() {
    // The client's text is not echoed: it is untrusted and says nothing a client can act on.
    super('The cursor is not one this API returned');
  }
}

export function encodePageCursor(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

/**
 * The position in `cursor`, as `positionOf` reads it from the text; undefined from `positionOf`
 * means the text is no position of this list. A cursor that is not base64url as `encodePageCursor`
 * spells it (padding, other alphabets, stray bits) was not issued here either.
 */
export function decodePageCursor<P>(cursor: string, positionOf: (text: string) => P | undefined): P {
  if (!BASE64URL_PATTERN.test(cursor)) throw new InvalidPageCursorError();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (encodePageCursor(text) !== cursor) throw new InvalidPageCursorError();
  const position = positionOf(text);
  if (position === undefined) throw new InvalidPageCursorError();
  return position;
}

/**
 * The page a client asks a list for: at most `limit` items, after the position `cursor` holds.
 * Each list decides its default and maximum limit; this is what its service takes from the query.
 */
export interface PageRequest {
  readonly limit?: number;
  readonly cursor?: string;
}

/** One page of a list; `nextCursor` is null on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/**
 * A page from `limit + 1` rows read in the list's order: the extra row only tells that another page
 * exists, and the cursor holds the position of the last row shown.
 */
export function pageOf<T>(rows: readonly T[], limit: number, positionOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodePageCursor(positionOf(last)) : null,
  };
}
