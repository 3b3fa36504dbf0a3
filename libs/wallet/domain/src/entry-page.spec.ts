import { decodeEntryCursor } from './entry-cursor';
import { entryPageOf, resolvePageLimit } from './entry-page';
import { WalletErrorCode } from './wallet.error';

const invalidLimit = expect.objectContaining({
  name: 'WalletError',
  code: WalletErrorCode.INVALID_PAGE_LIMIT,
});
const limits = { defaultLimit: 20, maxLimit: 100 };
const rowsWithIds = (...ids: bigint[]) => ids.map((id) => ({ id }));

describe('resolvePageLimit', () => {
  it('uses the default when none is asked for, else what is asked for', () => {
    expect(resolvePageLimit(undefined, limits)).toBe(20);
    expect(resolvePageLimit(1, limits)).toBe(1);
    expect(resolvePageLimit(100, limits)).toBe(100);
  });

  it.each([0, -1, 101, 2.5, Number.NaN])('refuses %p', (requested) => {
    expect(() => resolvePageLimit(requested, limits)).toThrow(invalidLimit);
  });
});

describe('entryPageOf', () => {
  it('is the last page when no more rows than the limit were read', () => {
    expect(entryPageOf(rowsWithIds(9n, 7n), 2)).toEqual({ items: rowsWithIds(9n, 7n), nextCursor: null });
    expect(entryPageOf([], 2)).toEqual({ items: [], nextCursor: null });
  });

  it('drops the extra row and points the cursor past the last row shown', () => {
    const page = entryPageOf(rowsWithIds(9n, 7n, 4n), 2);
    expect(page.items).toEqual(rowsWithIds(9n, 7n));
    expect(decodeEntryCursor(page.nextCursor ?? '')).toEqual({ beforeEntryId: 7n });
  });

  it('refuses a limit below one', () => {
    expect(() => entryPageOf(rowsWithIds(1n), 0)).toThrow(invalidLimit);
  });
});
