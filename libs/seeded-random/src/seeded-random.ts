/** A random number in [0, 1). */
export type RandomSource = () => number;

/** The generator's state is 32 bits: a larger seed draws the stream of its lowest 32 bits. */
export const SEED_MAX = 0xffff_ffff;

/** FNV-1a over the label's UTF-16 code units: a stable 32-bit number per label. */
function hashLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < label.length; index += 1) {
    hash ^= label.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * mulberry32: a small, well-known 32-bit PRNG. The same seed gives the same sequence on every
 * machine, which is what makes a chaos run and psp-sim's fault draws reproducible; it is not for
 * anything secret.
 */
export class SeededRandom {
  private state: number;

  constructor(private readonly seed: number) {
    if (!Number.isSafeInteger(seed)) throw new Error(`a seed must be a safe integer, got ${seed}`);
    this.state = seed >>> 0;
  }

  /** A number in [0, 1); bound to its generator, so it can be handed over as a `RandomSource`. */
  readonly next: RandomSource = () => {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let mixed = this.state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };

  /** An integer in [min, max], both included. */
  integer(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min)
      throw new Error(`integer(${min}, ${max}) needs safe integers with min <= max`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick() needs at least one item');
    return items[this.integer(0, items.length - 1)] as T;
  }

  /**
   * An independent stream named `label`, derived from the seed alone: the same label gives the
   * same stream however much was drawn before, so a draw added in one part of a run (say the
   * workload) leaves the others (the faults) unchanged.
   */
  fork(label: string): SeededRandom {
    return new SeededRandom(Math.imul(this.seed >>> 0, 0x9e3779b1) ^ hashLabel(label));
  }
}
