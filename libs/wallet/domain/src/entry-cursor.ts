import { decodePageCursor, InvalidPageCursorError } from '@keel/contracts';
import { WalletError, WalletErrorCode } from './wallet.error';

/**
 * Where the next page of a seller's wallet entries starts: entries are listed newest first by id,
 * and the next page holds the entries with an id below `beforeEntryId`. Keyset paging, so a page
 * costs the same however deep it is, and entries credited meanwhile never shift the pages.
 */
export interface EntryCursor {
  readonly beforeEntryId: bigint;
}

const POSITION_PREFIX = 'entry:';
const ENTRY_ID_PATTERN = /^[1-9][0-9]{0,18}$/;
const ENTRY_ID_MAX = 2n ** 63n - 1n;

/** The cursor's position as text, `entry:<id>`; an id no entry can have is refused. */
export function entryPosition(cursor: EntryCursor): string {
  const entryId = cursor.beforeEntryId;
  if (entryId < 1n || entryId > ENTRY_ID_MAX) {
    throw new WalletError(WalletErrorCode.INVALID_CURSOR, `Entry id ${entryId} cannot be a cursor position`);
  }
  return `${POSITION_PREFIX}${entryId}`;
}

/** Reads a cursor a client sent back; anything `entryPageOf` did not issue is `INVALID_CURSOR`. */
export function decodeEntryCursor(encoded: string): EntryCursor {
  try {
    return decodePageCursor(encoded, entryCursorOf);
  } catch (error) {
    if (error instanceof InvalidPageCursorError) {
      throw new WalletError(WalletErrorCode.INVALID_CURSOR, error.message);
    }
    throw error;
  }
}

function entryCursorOf(position: string): EntryCursor | undefined {
  if (!position.startsWith(POSITION_PREFIX)) return undefined;
  const digits = position.slice(POSITION_PREFIX.length);
  if (!ENTRY_ID_PATTERN.test(digits)) return undefined;
  const beforeEntryId = BigInt(digits);
  return beforeEntryId > ENTRY_ID_MAX ? undefined : { beforeEntryId };
}
