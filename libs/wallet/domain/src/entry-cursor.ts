import { WalletError, WalletErrorCode } from './wallet.error';

/**
 * Where the next page of a seller's wallet entries starts: entries are listed newest first by id,
 * and the next page holds the entries with an id below `beforeEntryId`. Keyset paging, so a page
 * costs the same however deep it is, and entries credited meanwhile never shift the pages.
 */
export interface EntryCursor {
  readonly beforeEntryId: bigint;
}

const CURSOR_PREFIX = 'entry:';
/** An encoded cursor is about 35 characters; anything much longer is not one of ours. */
const CURSOR_LENGTH_MAX = 64;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+$/;
const ENTRY_ID_PATTERN = /^[1-9][0-9]{0,18}$/;
const ENTRY_ID_MAX = 2n ** 63n - 1n;

/** Opaque to clients (base64url), so its form can change without breaking them. */
export function encodeEntryCursor(cursor: EntryCursor): string {
  assertEntryId(cursor.beforeEntryId);
  return Buffer.from(`${CURSOR_PREFIX}${cursor.beforeEntryId}`, 'utf8').toString('base64url');
}

/** Reads a cursor a client sent back; anything not made by `encodeEntryCursor` is `INVALID_CURSOR`. */
export function decodeEntryCursor(encoded: string): EntryCursor {
  if (encoded.length === 0 || encoded.length > CURSOR_LENGTH_MAX || !BASE64URL_PATTERN.test(encoded)) {
    throw invalidCursor();
  }
  const decoded = Buffer.from(encoded, 'base64url').toString('utf8');
  if (!decoded.startsWith(CURSOR_PREFIX)) throw invalidCursor();
  const digits = decoded.slice(CURSOR_PREFIX.length);
  if (!ENTRY_ID_PATTERN.test(digits)) throw invalidCursor();
  const beforeEntryId = BigInt(digits);
  if (beforeEntryId > ENTRY_ID_MAX) throw invalidCursor();
  return { beforeEntryId };
}

function assertEntryId(entryId: bigint): void {
  if (entryId < 1n || entryId > ENTRY_ID_MAX) {
    throw new WalletError(WalletErrorCode.INVALID_CURSOR, `Entry id ${entryId} cannot be a cursor position`);
  }
}

function invalidCursor(): WalletError {
  // The client's text is not echoed: it is untrusted and says nothing a client can act on.
  return new WalletError(WalletErrorCode.INVALID_CURSOR, 'The cursor is not one this API returned');
}
