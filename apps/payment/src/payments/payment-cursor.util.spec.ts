import { decodeCursor, encodeCursor } from './payment-cursor.util';

describe('page cursors', () => {
  it('round-trips a position as a URL-safe string', () => {
    const cursor = { createdAt: '2026-01-02T03:04:05.678Z', id: 'pay_abc' };
    const text = encodeCursor(cursor);
    expect(encodeURIComponent(text)).toBe(text);
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it.each([
    ['not base64url JSON', '!!!'],
    ['JSON of another shape', Buffer.from('[1,2]').toString('base64url')],
    ['a bad time', Buffer.from('{"t":"yesterday","i":"pay_a"}').toString('base64url')],
    ['a bad id', Buffer.from('{"t":"2026-01-02T03:04:05.678Z","i":"a b"}').toString('base64url')],
  ])('refuses %s', (_name, text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });
});
