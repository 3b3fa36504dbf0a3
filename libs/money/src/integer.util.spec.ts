import { absoluteValue, isSafeMinorAmount, toExactInteger } from './integer.util';
import { MoneyErrorCode } from './money.error';

describe('isSafeMinorAmount', () => {
  it('accepts positive safe integers', () => {
    expect([1, 1234, Number.MAX_SAFE_INTEGER].every(isSafeMinorAmount)).toBe(true);
  });

  it.each<unknown>([
    0,
    -0,
    -1,
    1.5,
    Number.MAX_SAFE_INTEGER + 1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '1',
    1n,
    null,
  ])('rejects %p', (value) => {
    expect(isSafeMinorAmount(value)).toBe(false);
  });
});

describe('toExactInteger', () => {
  it('keeps bigints and converts safe integer numbers exactly', () => {
    expect(toExactInteger(10n ** 40n, 'x')).toBe(10n ** 40n);
    expect(toExactInteger(-42, 'x')).toBe(-42n);
  });

  it('names the argument when refusing a non-integer', () => {
    expect(() => toExactInteger(0.1, 'factor')).toThrow(
      expect.objectContaining({
        code: MoneyErrorCode.NOT_AN_INTEGER,
        message: expect.stringContaining('factor'),
      }),
    );
  });
});

describe('absoluteValue', () => {
  it('drops the sign', () => {
    expect([-3n, 0n, 3n].map(absoluteValue)).toEqual([3n, 0n, 3n]);
  });
});
