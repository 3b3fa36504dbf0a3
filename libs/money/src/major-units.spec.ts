import { CurrencyCode } from './currency';
import { formatMajor, parseMajor } from './major-units';
import { Money } from './money';
import { MoneyErrorCode } from './money.error';

const moneyError = (code: MoneyErrorCode) => expect.objectContaining({ name: 'MoneyError', code });

describe('parseMajor', () => {
  it.each<[string, CurrencyCode, bigint]>([
    ['12.34', 'USD', 1234n],
    ['12.3', 'USD', 1230n],
    ['12', 'USD', 1200n],
    ['0.05', 'USD', 5n],
    ['-0.05', 'USD', -5n],
    ['-0', 'USD', 0n],
    ['007.10', 'EUR', 710n],
    ['1000', 'KRW', 1000n],
    ['-1500', 'JPY', -1500n],
    ['1.234', 'KWD', 1234n],
    ['0.001', 'BHD', 1n],
    ['92233720368547758.07', 'USD', 9_223_372_036_854_775_807n],
  ])('reads %p %s as %p minor units', (input, currency, amountMinor) => {
    expect(parseMajor(input, currency)).toEqual(Money.of(amountMinor, currency));
  });

  it.each<[string, CurrencyCode]>([
    ['12.345', 'USD'],
    ['12.340', 'USD'],
    ['1000.0', 'KRW'],
    ['1.2345', 'KWD'],
  ])('refuses %p %s: more fraction digits than the currency has', (input, currency) => {
    expect(() => parseMajor(input, currency)).toThrow(moneyError(MoneyErrorCode.INVALID_AMOUNT));
    expect(() => parseMajor(input, currency)).toThrow('fraction digits');
  });

  it.each([
    '',
    ' ',
    '-',
    '.',
    '.5',
    '5.',
    '+5',
    '--5',
    '1e3',
    '1E3',
    '0x10',
    '1,000.00',
    '1 000',
    ' 12.34',
    '12.34 ',
    '12.34\n',
    '12,34',
    'NaN',
    'Infinity',
    '١٢',
    '12.3.4',
    'USD 12.34',
  ])('refuses %p with INVALID_AMOUNT', (input) => {
    expect(() => parseMajor(input, 'USD')).toThrow(moneyError(MoneyErrorCode.INVALID_AMOUNT));
  });

  it('refuses a number, which may already have lost precision', () => {
    expect(() => parseMajor(12.34 as unknown as string, 'USD')).toThrow(
      moneyError(MoneyErrorCode.INVALID_AMOUNT),
    );
  });

  it('refuses an unknown currency with UNKNOWN_CURRENCY', () => {
    expect(() => parseMajor('1', 'usd' as CurrencyCode)).toThrow(moneyError(MoneyErrorCode.UNKNOWN_CURRENCY));
  });

  it('refuses amounts beyond the default limit, without building a huge bigint', () => {
    expect(() => parseMajor('92233720368547758.08', 'USD')).toThrow(
      moneyError(MoneyErrorCode.INVALID_AMOUNT),
    );
    const huge = '9'.repeat(1_000_000);
    expect(() => parseMajor(huge, 'KRW')).toThrow(moneyError(MoneyErrorCode.INVALID_AMOUNT));
    expect(() => parseMajor(huge, 'KRW')).toThrow('(1000000 chars)');
  });

  it('ignores leading zeros when checking the limit', () => {
    expect(parseMajor(`${'0'.repeat(100)}1.00`, 'USD')).toEqual(Money.of(100n, 'USD'));
  });

  it('applies a tighter configured limit', () => {
    const options = { maxAbsAmountMinor: 1_000_000n };
    expect(parseMajor('-10000.00', 'USD', options).amountMinor).toBe(-1_000_000n);
    expect(() => parseMajor('10000.01', 'USD', options)).toThrow(moneyError(MoneyErrorCode.INVALID_AMOUNT));
  });
});

describe('formatMajor', () => {
  it.each<[bigint, CurrencyCode, string]>([
    [1234n, 'USD', '12.34'],
    [-5n, 'USD', '-0.05'],
    [0n, 'USD', '0.00'],
    [100n, 'USD', '1.00'],
    [-100n, 'EUR', '-1.00'],
    [1000n, 'KRW', '1000'],
    [-1000n, 'KRW', '-1000'],
    [0n, 'JPY', '0'],
    [1n, 'KWD', '0.001'],
    [-1234567n, 'BHD', '-1234.567'],
    [9_223_372_036_854_775_807n, 'USD', '92233720368547758.07'],
  ])('writes %p %s as %p', (amountMinor, currency, expected) => {
    expect(formatMajor(Money.of(amountMinor, currency))).toBe(expected);
  });
});
