import {
  containsCardNumber,
  findCardNumbers,
  isCardNumber,
  isLuhnValid,
  maskCardNumber,
  mayContainCardNumber,
  redactCardNumbers,
} from './card-number.util';

// Test card numbers the schemes publish.
const VISA = '4111111111111111';
const VISA_13 = '4222222222222';
const VISA_19 = '4000000000000000006';
const MASTERCARD = '5555555555554444';
const MASTERCARD_2_SERIES = '2223003122003222';
const AMEX = '378282246310005';
const DINERS_14 = '36227206271667';
const DISCOVER_19 = '6011000990139424124';

describe('isLuhnValid', () => {
  it('accepts test card numbers and refuses one changed digit', () => {
    for (const pan of [VISA, MASTERCARD, AMEX, DISCOVER_19]) expect(isLuhnValid(pan)).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
  });
});

describe('isCardNumber', () => {
  it.each([VISA, VISA_13, VISA_19, MASTERCARD, MASTERCARD_2_SERIES, AMEX, DINERS_14, DISCOVER_19])(
    'takes %s for a card number',
    (pan) => expect(isCardNumber(pan)).toBe(true),
  );

  it.each([
    ['a failed checksum', '4111111111111112'],
    ['12 digits, Luhn-valid', '424242424242'],
    ['20 digits, Luhn-valid', '41111111111111110000'],
    ['separators', '4111 1111 1111 1111'],
    ['epoch milliseconds, Luhn-valid', '1795450000009'],
  ])('refuses %s', (_case, digits) => expect(isCardNumber(digits)).toBe(false));
});

describe('containsCardNumber', () => {
  it.each([
    ['alone', VISA],
    ['a 13-digit Visa', VISA_13],
    ['a 19-digit Visa', VISA_19],
    ['an Amex of 15 digits', AMEX],
    ['grouped by spaces', '4111 1111 1111 1111'],
    ['grouped by dashes', '4111-1111-1111-1111'],
    ['grouped as Amex prints it', '3782 822463 10005'],
    ['grouped by both', '4111 1111-1111 1111'],
    ['inside a sentence', `card ${VISA} declined`],
    ['after an underscore', `tok_${VISA}`],
    ['between punctuation', `/cards/${VISA}/tokens?x=1`],
    ['as a JSON number', `{"pan":${VISA}}`],
    ['as an e-mail local part', `${VISA}@example.com`],
    ['next to other numbers', 'ref 12 4111 1111 1111 1111 22'],
    ['before an expiry date', '4111 1111 1111 1111 12/30'],
    ['after a UUID', `550e8400-e29b-41d4-a716-446655440000 ${MASTERCARD}`],
  ])('finds a card number %s', (_case, text) => expect(containsCardNumber(text)).toBe(true));

  it.each([
    ['empty', ''],
    ['failing the Luhn check', '4111111111111112'],
    ['of 12 digits', '424242424242'],
    ['of 20 digits', '41111111111111110000'],
    ['glued to more digits', `1${VISA}`],
    ['glued to letters', `ab${VISA}cd`],
    ['glued to a letter on one side', `x${VISA}`],
    ['grouped by two spaces', '4111  1111 1111 1111'],
    ['grouped by dots', '4111.1111.1111.1111'],
    ['of epoch milliseconds', '{"atMs":1795450000009}'],
    ['in a UUID', '12345678-1234-4234-8234-411111111118'],
    ['a date and an amount', 'amount 1250 EUR on 2024-05-01'],
    ['an identifier', 'checkout-7f3c9a12-buyer_42'],
  ])('finds none in text %s', (_case, text) => expect(containsCardNumber(text)).toBe(false));

  // Linear, with a bounded window per digit group: 256 KiB take milliseconds, where a quadratic
  // search would take minutes and a catastrophic regex would never end.
  const LONG_TEXT_LENGTH = 1 << 18;
  const LONG_TEXT_DURATION_MS_MAX = 2_000;

  it.each([
    ['single digits and spaces', '1 '],
    ['single digits and dashes', '1-'],
    ['groups one digit short', `${'1'.repeat(12)} `],
    ['Visa-like groups', '4111-'],
    ['digits glued to letters', 'a1'],
    ['one digit', '9'],
  ])('decides a long text of %s in linear time', (_case, unit) => {
    const text = `${unit.repeat(LONG_TEXT_LENGTH / unit.length)}x`;
    const startedMs = performance.now();
    expect(containsCardNumber(text)).toBe(false);
    expect(performance.now() - startedMs).toBeLessThan(LONG_TEXT_DURATION_MS_MAX);
  });

  it('finds a card number at the end of a long text', () => {
    expect(containsCardNumber(`${'lorem ipsum 12 '.repeat(LONG_TEXT_LENGTH / 15)}${VISA}`)).toBe(true);
  });
});

describe('mayContainCardNumber', () => {
  it('is false only without 13 grouped digits in a row', () => {
    expect(mayContainCardNumber('4111 1111 1111 1')).toBe(true);
    expect(mayContainCardNumber('4111 1111 1111')).toBe(false);
    expect(mayContainCardNumber('4111  1111 1111 1111')).toBe(false);
  });
});

describe('findCardNumbers', () => {
  it('answers where each card number is, separators included, and its digits', () => {
    const text = `pan ${VISA}, amex 3782-822463-10005.`;
    expect(findCardNumbers(text)).toEqual([
      { start: 4, end: 20, digits: VISA },
      { start: 27, end: 44, digits: AMEX },
    ]);
    expect(text.slice(27, 44)).toBe('3782-822463-10005');
  });

  it('takes the longest card number of a run, then searches after it', () => {
    expect(findCardNumbers(`${VISA} ${MASTERCARD}`).map((match) => match.digits)).toEqual([VISA, MASTERCARD]);
  });
});

describe('maskCardNumber', () => {
  it('keeps the first six and the last four digits', () => {
    expect(maskCardNumber(VISA)).toBe('411111******1111');
    expect(maskCardNumber(AMEX)).toBe('378282*****0005');
    expect(maskCardNumber(VISA_19)).toBe('400000*********0006');
  });
});

describe('redactCardNumbers', () => {
  it('masks every card number in a text and leaves the rest as it was', () => {
    expect(redactCardNumbers(`{"number":"${VISA}","cvc_check":"pass","amount":15000}`)).toBe(
      '{"number":"411111******1111","cvc_check":"pass","amount":15000}',
    );
    expect(redactCardNumbers('card=4111-1111-1111-1111&amex=3782 822463 10005')).toBe(
      'card=411111******1111&amex=378282*****0005',
    );
  });

  it('masks with the mask it is given', () => {
    expect(redactCardNumbers(`pan ${VISA}`, (digits) => `[${digits.length}]`)).toBe('pan [16]');
  });

  it('returns a text without card numbers unchanged', () => {
    const text = '{"id":"evt_1","created":1795450000,"amount":15000,"reference":"po_42"}';
    expect(redactCardNumbers(text)).toBe(text);
  });
});
