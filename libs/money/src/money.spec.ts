import { MAX_ABS_AMOUNT_MINOR, Money, sum } from './money';
import { MoneyErrorCode } from './money.error';
import { CurrencyCode } from './currency';

const moneyError = (code: MoneyErrorCode) => expect.objectContaining({ name: 'MoneyError', code });
const usd = (amountMinor: bigint) => Money.of(amountMinor, 'USD');
const eur = (amountMinor: bigint) => Money.of(amountMinor, 'EUR');

describe('Money.of', () => {
  it('holds a bigint amount and the currency code', () => {
    const money = Money.of(1234n, 'USD');
    expect(money.amountMinor).toBe(1234n);
    expect(money.currency).toBe('USD');
  });

  it('takes a safe integer number as the exact bigint', () => {
    expect(Money.of(-1500, 'KRW').amountMinor).toBe(-1500n);
    expect(Money.of(Number.MAX_SAFE_INTEGER, 'JPY').amountMinor).toBe(9_007_199_254_740_991n);
    expect(Money.of(-0, 'USD').amountMinor).toBe(0n);
  });

  it.each([0.5, 12.34, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Number.POSITIVE_INFINITY, 1e21])(
    'refuses the number %p with NOT_AN_INTEGER',
    (amountMinor) => {
      expect(() => Money.of(amountMinor, 'USD')).toThrow(moneyError(MoneyErrorCode.NOT_AN_INTEGER));
    },
  );

  it('refuses an unknown currency with UNKNOWN_CURRENCY', () => {
    expect(() => Money.of(1n, 'XYZ' as CurrencyCode)).toThrow(moneyError(MoneyErrorCode.UNKNOWN_CURRENCY));
  });

  it('accepts exactly ±MAX_ABS_AMOUNT_MINOR and refuses one more with INVALID_AMOUNT', () => {
    expect(usd(MAX_ABS_AMOUNT_MINOR).amountMinor).toBe(9_223_372_036_854_775_807n);
    expect(usd(-MAX_ABS_AMOUNT_MINOR).amountMinor).toBe(-9_223_372_036_854_775_807n);
    expect(() => usd(MAX_ABS_AMOUNT_MINOR + 1n)).toThrow(moneyError(MoneyErrorCode.INVALID_AMOUNT));
    expect(() => usd(-MAX_ABS_AMOUNT_MINOR - 1n)).toThrow(moneyError(MoneyErrorCode.INVALID_AMOUNT));
  });

  it('is frozen', () => {
    const money = usd(1n);
    expect(Object.isFrozen(money)).toBe(true);
    expect(() => Object.assign(money, { amountMinor: 2n })).toThrow(TypeError);
    expect(money.amountMinor).toBe(1n);
  });

  it('has a zero per currency', () => {
    expect(Money.zero('KWD')).toEqual(Money.of(0n, 'KWD'));
    expect(Money.zero('KWD').isZero()).toBe(true);
  });
});

describe('arithmetic', () => {
  it('adds, subtracts and negates without touching the operands', () => {
    const price = usd(1999n);
    const discount = usd(500n);
    expect(price.plus(discount).amountMinor).toBe(2499n);
    expect(price.minus(discount).amountMinor).toBe(1499n);
    expect(discount.minus(price).amountMinor).toBe(-1499n);
    expect(price.negate().amountMinor).toBe(-1999n);
    expect(price.amountMinor).toBe(1999n);
  });

  it('multiplies by integer factors only', () => {
    expect(usd(250n).multiplyBy(3n).amountMinor).toBe(750n);
    expect(usd(250n).multiplyBy(-2).amountMinor).toBe(-500n);
    expect(() => usd(250n).multiplyBy(1.5)).toThrow(moneyError(MoneyErrorCode.NOT_AN_INTEGER));
  });

  it('refuses results beyond the range with INVALID_AMOUNT', () => {
    expect(() => usd(MAX_ABS_AMOUNT_MINOR).plus(usd(1n))).toThrow(moneyError(MoneyErrorCode.INVALID_AMOUNT));
    expect(() => usd(-MAX_ABS_AMOUNT_MINOR).minus(usd(1n))).toThrow(
      moneyError(MoneyErrorCode.INVALID_AMOUNT),
    );
    expect(() => usd(MAX_ABS_AMOUNT_MINOR).multiplyBy(2n)).toThrow(moneyError(MoneyErrorCode.INVALID_AMOUNT));
  });

  it.each([
    ['plus', (left: Money, right: Money) => left.plus(right)],
    ['minus', (left: Money, right: Money) => left.minus(right)],
    ['equals', (left: Money, right: Money) => left.equals(right)],
    ['compare', (left: Money, right: Money) => left.compare(right)],
  ])('%s refuses to mix currencies with CURRENCY_MISMATCH', (_name, operation) => {
    expect(() => operation(usd(100n), eur(100n))).toThrow(moneyError(MoneyErrorCode.CURRENCY_MISMATCH));
    expect(() => operation(usd(100n), eur(100n))).toThrow('Cannot');
  });
});

describe('comparisons', () => {
  it('compares amounts of one currency', () => {
    expect(usd(5n).equals(usd(5n))).toBe(true);
    expect(usd(5n).equals(usd(6n))).toBe(false);
    expect(usd(5n).compare(usd(6n))).toBe(-1);
    expect(usd(6n).compare(usd(5n))).toBe(1);
    expect(usd(5n).compare(usd(5n))).toBe(0);
  });

  it('tells zero, negative and positive apart', () => {
    expect([usd(0n).isZero(), usd(0n).isNegative(), usd(0n).isPositive()]).toEqual([true, false, false]);
    expect([usd(-1n).isZero(), usd(-1n).isNegative(), usd(-1n).isPositive()]).toEqual([false, true, false]);
    expect([usd(1n).isZero(), usd(1n).isNegative(), usd(1n).isPositive()]).toEqual([false, false, true]);
  });

  it('answers whether two amounts share a currency without throwing', () => {
    expect(usd(1n).hasSameCurrency(usd(2n))).toBe(true);
    expect(usd(1n).hasSameCurrency(eur(1n))).toBe(false);
  });
});

describe('sum', () => {
  it('adds a list in one currency, and an empty list is zero', () => {
    expect(sum([usd(100n), usd(-30n), usd(5n)], 'USD')).toEqual(usd(75n));
    expect(sum([], 'KRW')).toEqual(Money.zero('KRW'));
  });

  it('refuses a member of another currency with CURRENCY_MISMATCH', () => {
    expect(() => sum([usd(1n), eur(1n)], 'USD')).toThrow(moneyError(MoneyErrorCode.CURRENCY_MISMATCH));
    expect(() => sum([usd(1n)], 'EUR')).toThrow(moneyError(MoneyErrorCode.CURRENCY_MISMATCH));
  });

  it('range-checks only the total', () => {
    expect(sum([usd(MAX_ABS_AMOUNT_MINOR), usd(1n), usd(-1n)], 'USD')).toEqual(usd(MAX_ABS_AMOUNT_MINOR));
    expect(() => sum([usd(MAX_ABS_AMOUNT_MINOR), usd(1n)], 'USD')).toThrow(
      moneyError(MoneyErrorCode.INVALID_AMOUNT),
    );
  });
});

describe('JSON', () => {
  it('serialises the amount as a decimal string', () => {
    expect(usd(-1234n).toJSON()).toEqual({ amountMinor: '-1234', currency: 'USD' });
    expect(JSON.stringify({ total: Money.of(9_007_199_254_740_993n, 'KRW') })).toBe(
      '{"total":{"amountMinor":"9007199254740993","currency":"KRW"}}',
    );
  });

  it('reads the JSON form back', () => {
    expect(Money.fromJSON({ amountMinor: '-1234', currency: 'USD' })).toEqual(usd(-1234n));
    expect(Money.fromJSON(JSON.parse('{"amountMinor":"0","currency":"BHD"}'))).toEqual(Money.zero('BHD'));
  });

  it.each<unknown>([
    null,
    'USD 12',
    { currency: 'USD' },
    { amountMinor: 1234, currency: 'USD' },
    { amountMinor: '12.34', currency: 'USD' },
    { amountMinor: '1e3', currency: 'USD' },
    { amountMinor: ' 1', currency: 'USD' },
    { amountMinor: '', currency: 'USD' },
    { amountMinor: '9223372036854775808', currency: 'USD' },
  ])('refuses %p with INVALID_AMOUNT', (json) => {
    expect(() => Money.fromJSON(json)).toThrow(moneyError(MoneyErrorCode.INVALID_AMOUNT));
  });

  it.each<unknown>([
    { amountMinor: '1' },
    { amountMinor: '1', currency: 'usd' },
    { amountMinor: '1', currency: 840 },
  ])('refuses %p with UNKNOWN_CURRENCY', (json) => {
    expect(() => Money.fromJSON(json)).toThrow(moneyError(MoneyErrorCode.UNKNOWN_CURRENCY));
  });

  it('applies a tighter configured limit', () => {
    const options = { maxAbsAmountMinor: 1_000_000n };
    expect(Money.fromJSON({ amountMinor: '-1000000', currency: 'USD' }, options)).toEqual(usd(-1_000_000n));
    expect(() => Money.fromJSON({ amountMinor: '1000001', currency: 'USD' }, options)).toThrow(
      moneyError(MoneyErrorCode.INVALID_AMOUNT),
    );
  });
});

describe('toString', () => {
  it('shows the major-unit amount and the code', () => {
    expect(usd(-5n).toString()).toBe('-0.05 USD');
    expect(Money.of(1000n, 'KRW').toString()).toBe('1000 KRW');
    expect(`${Money.of(1n, 'KWD')}`).toBe('0.001 KWD');
  });
});
