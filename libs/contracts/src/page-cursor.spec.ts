import { decodePageCursor, encodePageCursor, InvalidPageCursorError, pageOf } from './page-cursor';

const DIGITS = /^[1-9][0-9]*$/;
const digitsOf = (text: string): string | undefined => (DIGITS.test(text) ? text : undefined);

describe('page cursors', () => {
  it('round-trip a position through an opaque, URL-safe string', () => {
    const cursor = encodePageCursor('seller_payable:s:1/KRW');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encodeURIComponent(cursor)).toBe(cursor);
    expect(decodePageCursor(cursor, (text) => text)).toBe('seller_payable:s:1/KRW');
  });

  it('hand the list its own reading of the position', () => {
    const cursor = encodePageCursor('{"t":"2026-01-02T03:04:05.678Z","i":"pay_abc"}');
    expect(decodePageCursor(cursor, (text) => JSON.parse(text) as unknown)).toEqual({
      t: '2026-01-02T03:04:05.678Z',
      i: 'pay_abc',
    });
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'not base64!'],
    ['base64 with padding', `${encodePageCursor('12')}=`],
    ['base64 of another alphabet', Buffer.from('?>?>').toString('base64')],
    ['spelled with stray bits', 'MTJ'],
    ['a position the list does not have', encodePageCursor('abc')],
  ])('refuse a cursor that is %s', (_case, cursor) => {
    expect(() => decodePageCursor(cursor, digitsOf)).toThrow(InvalidPageCursorError);
  });

  it('say nothing of the text they refused', () => {
    expect(() => decodePageCursor('<script>', digitsOf)).toThrow('The cursor is not one this API returned');
  });
});

describe('pageOf', () => {
  it('returns the first `limit` rows and a cursor after the last one when a row is left', () => {
    expect(pageOf(['1', '2', '3'], 2, (row) => row)).toEqual({
      items: ['1', '2'],
      nextCursor: encodePageCursor('2'),
    });
    expect(pageOf(['1', '2'], 2, (row) => row)).toEqual({ items: ['1', '2'], nextCursor: null });
    expect(pageOf([], 2, (row: string) => row)).toEqual({ items: [], nextCursor: null });
  });
});
