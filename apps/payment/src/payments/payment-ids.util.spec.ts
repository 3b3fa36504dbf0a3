import { IDENTIFIER_PATTERN } from '@keel/contracts';
import { base32, newId, PAYMENT_ID_PATTERN } from './payment-ids.util';

describe('ids', () => {
  it('encodes base32 as RFC 4648 does, in lower case without padding', () => {
    expect(base32(Buffer.from('foobar'))).toBe('mzxw6ytboi');
    expect(base32(Buffer.from('f'))).toBe('my');
  });

  it('makes prefixed, URL-safe ids that fit the contracts identifier pattern', () => {
    const ids = Array.from({ length: 200 }, () => newId('pay'));
    for (const id of ids) {
      expect(id).toMatch(PAYMENT_ID_PATTERN);
      expect(id).toMatch(IDENTIFIER_PATTERN);
      expect(encodeURIComponent(id)).toBe(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(newId('po')).toMatch(/^po_[a-z2-7]{26}$/);
  });
});
