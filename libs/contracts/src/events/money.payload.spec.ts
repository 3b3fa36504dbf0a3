import { validatePayload } from '../payload-validation.util';
import {
  amountMinorOf,
  MoneyPayload,
  NonNegativeMoneyPayload,
  PositiveMoneyPayload,
  toMoneyPayload,
} from './money.payload';

function violationsOf(
  payloadClass: typeof MoneyPayload | typeof PositiveMoneyPayload | typeof NonNegativeMoneyPayload,
  data: unknown,
): string[] {
  const result = validatePayload(payloadClass, data, { allowUnknownFields: false });
  return result.ok ? [] : result.violations.map((violation) => `${violation.path}:${violation.constraint}`);
}

describe('MoneyPayload', () => {
  it.each(['0', '1', '-1', '15000', '-250', '999999999999999999', '-999999999999999999'])(
    'accepts amountMinor %s',
    (amountMinor) => {
      expect(violationsOf(MoneyPayload, { amountMinor, currency: 'KRW' })).toEqual([]);
    },
  );

  it.each([
    ['a decimal fraction', '1.5'],
    ['an exponent', '1e3'],
    ['an empty string', ''],
    ['leading zeros', '007'],
    ['minus zero', '-0'],
    ['a plus sign', '+5'],
    ['surrounding spaces', ' 5 '],
    ['19 digits, beyond a signed 64-bit column', '1000000000000000000'],
  ])('rejects amountMinor with %s', (_name, amountMinor) => {
    expect(violationsOf(MoneyPayload, { amountMinor, currency: 'KRW' })).toEqual(['amountMinor:matches']);
  });

  it.each([
    ['a number', 1500],
    ['a bigint-unsafe number', 2 ** 60],
    ['null', null],
    ['an object', { value: '1' }],
  ])('rejects amountMinor that is %s, not a string', (_name, amountMinor) => {
    expect(violationsOf(MoneyPayload, { amountMinor, currency: 'KRW' }).sort()).toEqual([
      'amountMinor:isString',
      'amountMinor:matches',
    ]);
  });

  it('rejects a missing amountMinor', () => {
    expect(violationsOf(MoneyPayload, { currency: 'KRW' })).toContain('amountMinor:isString');
  });

  it.each(['krw', 'KR', 'KRWX', 'K1W', ''])('rejects currency %p', (currency) => {
    expect(violationsOf(MoneyPayload, { amountMinor: '1', currency })).toEqual(['currency:matches']);
  });
});

describe('PositiveMoneyPayload', () => {
  it('accepts an amount above zero', () => {
    expect(violationsOf(PositiveMoneyPayload, { amountMinor: '1', currency: 'USD' })).toEqual([]);
  });

  it.each(['0', '-1', '1.0'])('rejects amountMinor %s', (amountMinor) => {
    expect(violationsOf(PositiveMoneyPayload, { amountMinor, currency: 'USD' })).toEqual([
      'amountMinor:matches',
    ]);
  });
});

describe('NonNegativeMoneyPayload', () => {
  it.each(['0', '1', '999999999999999999'])('accepts amountMinor %s', (amountMinor) => {
    expect(violationsOf(NonNegativeMoneyPayload, { amountMinor, currency: 'KRW' })).toEqual([]);
  });

  it.each(['-1', '-0', '00', '1.0'])('rejects amountMinor %s', (amountMinor) => {
    expect(violationsOf(NonNegativeMoneyPayload, { amountMinor, currency: 'KRW' })).toEqual([
      'amountMinor:matches',
    ]);
  });
});

describe('money conversions', () => {
  it('carries a bigint through the string form without loss', () => {
    const amountMinor = 900719925474099312n;
    const payload = toMoneyPayload(amountMinor, 'KRW');

    expect(payload).toEqual({ amountMinor: '900719925474099312', currency: 'KRW' });
    expect(amountMinorOf(JSON.parse(JSON.stringify(payload)) as MoneyPayload)).toBe(amountMinor);
    expect(violationsOf(MoneyPayload, toMoneyPayload(-5n, 'KRW'))).toEqual([]);
  });
});
