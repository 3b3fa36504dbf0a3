import { maskPan, maskPans } from './pan-mask.util';

const VISA = '4111111111111111';
const AMEX = '378282246310005';
const NINETEEN_DIGITS = '6011000990139424124';

describe('maskPans', () => {
  it('masks a PAN as its first six and last four digits', () => {
    expect(maskPan(VISA)).toBe('411111…1111');
    expect(maskPans(`card ${VISA} declined`)).toBe('card 411111…1111 declined');
  });

  it('masks PANs written with spaces or dashes', () => {
    expect(maskPans('4111 1111 1111 1111')).toBe('411111…1111');
    expect(maskPans('4111-1111-1111-1111')).toBe('411111…1111');
    expect(maskPans('3782 822463 10005')).toBe('378282…0005');
  });

  it('masks PANs next to punctuation and other numbers', () => {
    expect(maskPans(`pan=${VISA};`)).toBe('pan=411111…1111;');
    expect(maskPans(`/cards/${VISA}/tokens`)).toBe('/cards/411111…1111/tokens');
    expect(maskPans(`card_${VISA}`)).toBe('card_411111…1111');
    expect(maskPans('4111 1111 1111 1111 12/30')).toBe('411111…1111 12/30');
    expect(maskPans('ref 12 4111 1111 1111 1111 22')).toBe('ref 12 411111…1111 22');
  });

  it('masks 13- to 19-digit PANs', () => {
    expect(maskPans('4222222222222')).toBe('422222…2222');
    expect(maskPans(NINETEEN_DIGITS)).toBe('601100…4124');
    expect(maskPans(AMEX)).toBe('378282…0005');
  });

  it('leaves numbers that are not PANs alone', () => {
    const notPans = [
      '4111111111111112',
      '411111111111',
      `${VISA}0000`,
      '12345678901234567890123',
      'amount 1250 EUR on 2024-05-01',
      '550e8400-e29b-41d4-a716-446655440000',
      '12345678-1234-4234-8234-411111111118',
      `trace ab${VISA}cd`,
      `token_${VISA}x`,
    ];
    for (const text of notPans) expect(maskPans(text)).toBe(text);
  });
});

describe('epoch milliseconds', () => {
  it('are not taken for card numbers, even when Luhn-valid', () => {
    expect(maskPans('{"atMs":1795450000009}')).toBe('{"atMs":1795450000009}');
  });

  it('do not hide a 13-digit Visa number', () => {
    expect(maskPans('4222222222222')).toBe('422222…2222');
  });
});
