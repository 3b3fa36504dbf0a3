import { divideAndRound, isRoundingMode, ROUNDING_MODES, RoundingMode } from './rounding';

// The table from the java.math.RoundingMode documentation: tenths of the input, rounded to a whole.
const TABLE: readonly [bigint, Record<RoundingMode, bigint>][] = [
  [55n, { up: 6n, down: 5n, ceiling: 6n, floor: 5n, half_up: 6n, half_even: 6n }],
  [25n, { up: 3n, down: 2n, ceiling: 3n, floor: 2n, half_up: 3n, half_even: 2n }],
  [16n, { up: 2n, down: 1n, ceiling: 2n, floor: 1n, half_up: 2n, half_even: 2n }],
  [11n, { up: 2n, down: 1n, ceiling: 2n, floor: 1n, half_up: 1n, half_even: 1n }],
  [10n, { up: 1n, down: 1n, ceiling: 1n, floor: 1n, half_up: 1n, half_even: 1n }],
  [-10n, { up: -1n, down: -1n, ceiling: -1n, floor: -1n, half_up: -1n, half_even: -1n }],
  [-11n, { up: -2n, down: -1n, ceiling: -1n, floor: -2n, half_up: -1n, half_even: -1n }],
  [-16n, { up: -2n, down: -1n, ceiling: -1n, floor: -2n, half_up: -2n, half_even: -2n }],
  [-25n, { up: -3n, down: -2n, ceiling: -2n, floor: -3n, half_up: -3n, half_even: -2n }],
  [-55n, { up: -6n, down: -5n, ceiling: -5n, floor: -6n, half_up: -6n, half_even: -6n }],
];

describe('divideAndRound', () => {
  it.each(
    TABLE.flatMap(([tenths, expected]) =>
      ROUNDING_MODES.map((mode) => [tenths, mode, expected[mode]] as const),
    ),
  )('%p / 10 rounds %s to %p', (tenths, mode, expected) => {
    expect(divideAndRound(tenths, 10n, mode)).toBe(expected);
  });

  it('returns exact quotients unchanged, zero included', () => {
    for (const mode of ROUNDING_MODES) {
      expect(divideAndRound(0n, 7n, mode)).toBe(0n);
      expect(divideAndRound(-42n, 7n, mode)).toBe(-6n);
    }
  });

  it('breaks half_even ties toward the even neighbour on both sides of zero', () => {
    expect([5n, 15n, 35n, -5n, -15n, -35n].map((tenths) => divideAndRound(tenths, 10n, 'half_even'))).toEqual(
      [0n, 2n, 4n, 0n, -2n, -4n],
    );
  });
});

describe('isRoundingMode', () => {
  it('accepts the six modes and nothing else', () => {
    expect(ROUNDING_MODES.every(isRoundingMode)).toBe(true);
    expect(['HALF_EVEN', 'half-even', 'nearest', '', undefined, 0].some(isRoundingMode)).toBe(false);
  });
});
