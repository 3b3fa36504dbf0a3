import { CURRENCY_CODES, currencyOf, isCurrencyCode } from './currency';
import { MoneyError, MoneyErrorCode } from './money.error';

// The codes the payment services rely on, by their ISO 4217 exponent, each checked one by one.
const REQUIRED_CODES_BY_EXPONENT: readonly (readonly [number, readonly string[]])[] = [
  [0, ['KRW', 'JPY', 'VND', 'CLP', 'ISK', 'UGX', 'XAF', 'XOF']],
  [2, ['USD', 'EUR', 'GBP', 'CHF', 'CNY', 'SGD', 'HKD', 'AUD', 'CAD', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK']],
  [
    2,
    ['HUF', 'INR', 'IDR', 'THB', 'PHP', 'MYR', 'TWD', 'BRL', 'MXN', 'ZAR', 'TRY', 'AED', 'SAR', 'ILS', 'NZD'],
  ],
  [3, ['BHD', 'KWD', 'OMR', 'JOD', 'TND']],
];
const REQUIRED_EXPONENTS = REQUIRED_CODES_BY_EXPONENT.flatMap(([exponent, codes]) =>
  codes.map((code) => [code, exponent] as const),
);

describe('currency table', () => {
  it.each(REQUIRED_EXPONENTS)('knows %s with exponent %i', (code, exponent) => {
    expect(isCurrencyCode(code)).toBe(true);
    expect(currencyOf(code).exponent).toBe(exponent);
  });

  it('lists every code once, as three upper-case letters, in alphabetical order', () => {
    expect(CURRENCY_CODES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(CURRENCY_CODES).size).toBe(CURRENCY_CODES.length);
    expect(CURRENCY_CODES.every((code) => /^[A-Z]{3}$/.test(code))).toBe(true);
    expect([...CURRENCY_CODES].sort()).toEqual(CURRENCY_CODES);
  });

  it('gives every currency a unique three-digit numeric code and an exponent of 0, 2 or 3', () => {
    const currencies = CURRENCY_CODES.map(currencyOf);
    expect(currencies.every((currency) => /^\d{3}$/.test(currency.numericCode))).toBe(true);
    expect(new Set(currencies.map((currency) => currency.numericCode)).size).toBe(currencies.length);
    expect(new Set(currencies.map((currency) => currency.exponent))).toEqual(new Set([0, 2, 3]));
  });

  it('returns the full record, frozen', () => {
    const currency = currencyOf('KWD');
    expect(currency).toEqual({ code: 'KWD', numericCode: '414', exponent: 3 });
    expect(currencyOf('ALL').numericCode).toBe('008');
    expect(Object.isFrozen(currency)).toBe(true);
    expect(Object.isFrozen(CURRENCY_CODES)).toBe(true);
  });

  it.each(['XAU', 'XTS', 'XXX', 'XDR', 'CLF', 'BOV', 'UYW', 'ANG', 'BGN', 'HRK'])(
    'leaves out %s, which is not a current payment currency',
    (code) => {
      expect(isCurrencyCode(code)).toBe(false);
    },
  );
});

describe('isCurrencyCode', () => {
  it.each<unknown>([
    'usd',
    'Usd',
    ' USD',
    'USD ',
    '',
    'US',
    'USDX',
    'toString',
    '__proto__',
    840,
    null,
    undefined,
  ])('rejects %p', (value) => {
    expect(isCurrencyCode(value)).toBe(false);
  });
});

describe('currencyOf', () => {
  it('throws UNKNOWN_CURRENCY with the offending code in the message', () => {
    expect(() => currencyOf('XYZ')).toThrow(
      expect.objectContaining({
        code: MoneyErrorCode.UNKNOWN_CURRENCY,
        message: expect.stringContaining('"XYZ"'),
      }),
    );
    expect(() => currencyOf('usd')).toThrow(MoneyError);
  });

  it('cuts a huge unknown code short in the message', () => {
    const error = captureError(() => currencyOf('Q'.repeat(10_000)));
    expect(error.code).toBe(MoneyErrorCode.UNKNOWN_CURRENCY);
    expect(error.message.length).toBeLessThan(200);
  });
});

function captureError(action: () => unknown): MoneyError {
  try {
    action();
  } catch (error) {
    if (error instanceof MoneyError) return error;
    throw error;
  }
  throw new Error('expected a MoneyError');
}
