import { encodePageCursor } from '@keel/contracts';
import { decodeEntryCursor, entryPosition } from './entry-cursor';
import { WalletErrorCode } from './wallet.error';

const invalidCursor = expect.objectContaining({ name: 'WalletError', code: WalletErrorCode.INVALID_CURSOR });

describe('entry cursors', () => {
  it.each([1n, 42n, 9_007_199_254_740_993n, 2n ** 63n - 1n])('round-trips entry id %p', (beforeEntryId) => {
    const encoded = encodePageCursor(entryPosition({ beforeEntryId }));
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeEntryCursor(encoded)).toEqual({ beforeEntryId });
  });

  it('refuses to encode a position that no entry can have', () => {
    expect(() => entryPosition({ beforeEntryId: 0n })).toThrow(invalidCursor);
    expect(() => entryPosition({ beforeEntryId: 2n ** 63n })).toThrow(invalidCursor);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/=='],
    ['too long', 'A'.repeat(65)],
    ['without the prefix', Buffer.from('42').toString('base64url')],
    ['a zero id', Buffer.from('entry:0').toString('base64url')],
    ['a leading zero', Buffer.from('entry:042').toString('base64url')],
    ['a negative id', Buffer.from('entry:-4').toString('base64url')],
    ['an id beyond 64 bits', Buffer.from(`entry:${2n ** 63n}`).toString('base64url')],
    ['trailing text', Buffer.from('entry:42;drop').toString('base64url')],
  ])('refuses a cursor that is %s', (_case, encoded) => {
    expect(() => decodeEntryCursor(encoded)).toThrow(invalidCursor);
  });
});
