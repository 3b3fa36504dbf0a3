import { MAX_SEED, seededRandom } from './prng';

describe('seededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const take = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 20 }, () => random());
    };
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
  });

  it('draws within [0, 1) and spreads over the range', () => {
    const random = seededRandom(MAX_SEED);
    const draws = Array.from({ length: 10_000 }, () => random());
    expect(draws.every((draw) => draw >= 0 && draw < 1)).toBe(true);
    const mean = draws.reduce((sum, draw) => sum + draw, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });

  it('refuses a seed outside 32 bits', () => {
    expect(() => seededRandom(-1)).toThrow(RangeError);
    expect(() => seededRandom(MAX_SEED + 1)).toThrow(RangeError);
    expect(() => seededRandom(1.5)).toThrow(RangeError);
  });
});
