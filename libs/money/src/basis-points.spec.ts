import { percentageOfBasisPoints } from './basis-points';
import { Money } from './money';
import { MoneyErrorCode } from './money.error';
import { RoundingMode } from './rounding';

const moneyError = (code: MoneyErrorCode) => expect.objectContaining({ name: 'MoneyError', code });

describe('percentageOfBasisPoints', () => {
  it('takes an exact percentage without rounding', () => {
    expect(percentageOfBasisPoints(Money.of(1000n, 'USD'), 290n, 'half_even')).toEqual(Money.of(29n, 'USD'));
    expect(percentageOfBasisPoints(Money.of(50_000n, 'KRW'), 330, 'down')).toEqual(Money.of(1650n, 'KRW'));
  });

  it.each<[bigint, RoundingMode, bigint]>([
    // 2.9 % of 12.34 USD is 35.786 cents.
    [1234n, 'half_even', 36n],
    [1234n, 'half_up', 36n],
    [1234n, 'down', 35n],
    [1234n, 'up', 36n],
    [1234n, 'floor', 35n],
    [1234n, 'ceiling', 36n],
    // A refund of the same: -35.786 cents.
    [-1234n, 'half_even', -36n],
    [-1234n, 'half_up', -36n],
    [-1234n, 'down', -35n],
    [-1234n, 'up', -36n],
    [-1234n, 'floor', -36n],
    [-1234n, 'ceiling', -35n],
  ])('290 bp of %p cents rounds %s to %p', (amountMinor, rounding, expected) => {
    expect(percentageOfBasisPoints(Money.of(amountMinor, 'USD'), 290n, rounding).amountMinor).toBe(expected);
  });

  it('breaks exact halves as the mode says', () => {
    // 50 bp of 100 KRW and of 300 KRW are 0.5 and 1.5 won.
    const won = (amountMinor: bigint) => Money.of(amountMinor, 'KRW');
    expect(percentageOfBasisPoints(won(100n), 50n, 'half_even').amountMinor).toBe(0n);
    expect(percentageOfBasisPoints(won(300n), 50n, 'half_even').amountMinor).toBe(2n);
    expect(percentageOfBasisPoints(won(100n), 50n, 'half_up').amountMinor).toBe(1n);
    expect(percentageOfBasisPoints(won(-100n), 50n, 'half_up').amountMinor).toBe(-1n);
    expect(percentageOfBasisPoints(won(-300n), 50n, 'half_even').amountMinor).toBe(-2n);
  });

  it('keeps the currency, and handles zero, whole and negative basis points', () => {
    const dinar = Money.of(1234n, 'KWD');
    expect(percentageOfBasisPoints(dinar, 0n, 'up')).toEqual(Money.zero('KWD'));
    expect(percentageOfBasisPoints(dinar, 10_000n, 'down')).toEqual(dinar);
    expect(percentageOfBasisPoints(dinar, -100n, 'half_even')).toEqual(Money.of(-12n, 'KWD'));
  });

  it('refuses non-integer basis points with NOT_AN_INTEGER', () => {
    expect(() => percentageOfBasisPoints(Money.of(1n, 'USD'), 2.5, 'down')).toThrow(
      moneyError(MoneyErrorCode.NOT_AN_INTEGER),
    );
  });

  it('refuses an unknown rounding mode with INVALID_ROUNDING_MODE', () => {
    expect(() => percentageOfBasisPoints(Money.of(1n, 'USD'), 1n, 'HALF_EVEN' as RoundingMode)).toThrow(
      moneyError(MoneyErrorCode.INVALID_ROUNDING_MODE),
    );
  });
});
