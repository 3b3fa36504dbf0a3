import { InvalidCursorError } from './ledger-http.error';
import { decodeCursor, encodeCursor, pageOf } from './page-cursor.util';

const DIGITS = /^[1-9][0-9]*$/;

describe('cursors', () => {
  it('round-trip a sort key through an opaque, URL-safe string', () => {
    const cursor = encodeCursor('seller_payable:s:1/KRW');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, /^.+$/)).toBe('seller_payable:s:1/KRW');
  });

  it('refuse a cursor that does not decode to a key of the expected shape', () => {
    expect(() => decodeCursor(encodeCursor('abc'), DIGITS)).toThrow(InvalidCursorError);
    expect(() => decodeCursor('not base64!', DIGITS)).toThrow(InvalidCursorError);
    // Padding or other non-canonical spellings of a valid key are not cursors we issued.
    expect(() => decodeCursor(`${encodeCursor('12')}=`, DIGITS)).toThrow(InvalidCursorError);
  });
});

describe('pageOf', () => {
  it('returns the first `limit` rows and a cursor after the last one when a row is left', () => {
    expect(pageOf(['1', '2', '3'], 2, (row) => row)).toEqual({
      items: ['1', '2'],
      nextCursor: encodeCursor('2'),
    });
    expect(pageOf(['1', '2'], 2, (row) => row)).toEqual({ items: ['1', '2'], nextCursor: null });
    expect(pageOf([], 2, (row: string) => row)).toEqual({ items: [], nextCursor: null });
  });
});
