/** A random number in [0, 1). */
export type RandomSource = () => number;

export const MAX_SEED = 0xffff_ffff;

/**
 * mulberry32: a small, fast 32-bit generator, good enough to decide fault draws and reproducible
 * from its seed, so that a chaos run can be replayed with the seed it logged.
 */
export function seededRandom(seed: number): RandomSource {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RangeError(`seed must be an integer in [0, ${MAX_SEED}], got ${seed}`);
  }
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}
