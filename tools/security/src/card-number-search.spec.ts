import { CardNumberSearch } from './card-number-search';

const VISA = '4111111111111111';
const AMEX = '378282246310005';

describe('CardNumberSearch', () => {
  const search = new CardNumberSearch([VISA, AMEX]);

  it.each([
    ['digits only, in JSON', `{"buyer":{"id":"${VISA}"}}`, VISA],
    ['spaced', `card 4111 1111 1111 1111 declined`, '4111 1111 1111 1111'],
    ['dashed', `order-4111-1111-1111-1111`, '4111-1111-1111-1111'],
    ['grouped irregularly', `3782 822463 10005`, '3782 822463 10005'],
    [
      'URL-encoded spaces',
      `GET /v1/payments?checkoutId=4111%201111%201111%201111`,
      '4111%201111%201111%201111',
    ],
    ['form-encoded spaces', `checkoutId=4111+1111+1111+1111&limit=1`, '4111+1111+1111+1111'],
    ['URL-encoded dashes', `id=4111%2D1111%2d1111%2D1111`, '4111%2D1111%2d1111%2D1111'],
    ['inside a longer run of digits', `ts=9${VISA}0`, VISA],
  ])('finds a card number written %s', (_form, text, found) => {
    expect(search.occurrencesIn(text)).toEqual([found]);
  });

  it('finds every occurrence of every card number, and the same again in a second search', () => {
    const text = `a ${VISA} b 3782-822463-10005 c ${VISA}`;
    expect(search.occurrencesIn(text)).toEqual([VISA, '3782-822463-10005', VISA]);
    expect(search.occurrencesIn(text)).toEqual([VISA, '3782-822463-10005', VISA]);
  });

  it.each([
    ['masked', '411111******1111'],
    ['cut short', '411111111111111'],
    ['another card number', '5555555555554444'],
    ['split by two separators', '4111  1111 1111 1111'],
    ['split by a letter', '4111a111111111111'],
    ['empty', ''],
  ])('finds nothing in text with the card number %s', (_case, text) => {
    expect(search.occurrencesIn(text)).toEqual([]);
  });

  it('names where it found a card number, with the text around it', () => {
    const far = 'x'.repeat(100);
    expect(search.sightingsIn('payments', `("pay_1","${VISA}",KRW) ${far} ${AMEX} ${far}`)).toEqual([
      { where: 'payments', excerpt: `("pay_1","${VISA}",KRW) ${'x'.repeat(53)}` },
      { where: 'payments', excerpt: `${'x'.repeat(59)} ${AMEX} ${'x'.repeat(59)}` },
    ]);
  });

  it('refuses what is not a card number to search for', () => {
    expect(() => new CardNumberSearch([])).toThrow('13 to 19 digits');
    expect(() => new CardNumberSearch(['4111 1111 1111 1111'])).toThrow('13 to 19 digits');
  });
});
