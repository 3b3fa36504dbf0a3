import { decodePageCursor, encodePageCursor } from '@keel/contracts';
import { paymentCursorOf, paymentPosition } from './payment-cursor.util';

describe('payment page positions', () => {
  it('round-trip through a page cursor', () => {
    const cursor = { createdAt: '2026-01-02T03:04:05.678Z', id: 'pay_abc' };
    const text = encodePageCursor(paymentPosition(cursor));
    expect(decodePageCursor(text, paymentCursorOf)).toEqual(cursor);
  });

  it('keep the form cursors already issued have', () => {
    expect(paymentPosition({ createdAt: '2026-01-02T03:04:05.678Z', id: 'pay_abc' })).toBe(
      '{"t":"2026-01-02T03:04:05.678Z","i":"pay_abc"}',
    );
  });

  it.each([
    ['not JSON', '!!!'],
    ['JSON of another shape', '[1,2]'],
    ['a bad time', '{"t":"yesterday","i":"pay_a"}'],
    ['a bad id', '{"t":"2026-01-02T03:04:05.678Z","i":"a b"}'],
  ])('refuse %s', (_name, position) => {
    expect(paymentCursorOf(position)).toBeUndefined();
  });
});
