export interface TokenBucketLimits {
  /** Tokens added per second. */
  readonly ratePerS: number;
  /** Tokens a bucket holds at most: the burst a key may send at once. */
  readonly burst: number;
  /** Buckets kept at most; full buckets are dropped first, so memory stays bounded. */
  readonly bucketsMax: number;
}

export type TakeResult = { readonly taken: true } | { readonly taken: false; readonly retryAfterS: number };

interface Bucket {
  tokens: number;
  refilledAtMs: number;
}

/**
 * One token bucket per key (a merchant), refilled lazily on each take from the given clock. A key
 * without a bucket is full. The buckets are kept in least-recently-used order and, past
 * bucketsMax, the least recently used is dropped: it has had the longest to refill, and dropping
 * a bucket only ever lets its owner send more, never less.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: TokenBucketLimits,
    private readonly nowMs: () => number,
  ) {}

  take(key: string, retryAfterMaxS: number): TakeResult {
    const nowMs = this.nowMs();
    const bucket = this.refilled(key, nowMs);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { taken: true };
    }
    const retryAfterS = Math.ceil((1 - bucket.tokens) / this.limits.ratePerS);
    return { taken: false, retryAfterS: Math.min(Math.max(retryAfterS, 1), retryAfterMaxS) };
  }

  /** Live buckets, for tests of the bound. */
  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, nowMs: number): Bucket {
    const existing = this.buckets.get(key);
    if (existing !== undefined) {
      const elapsedS = Math.max(nowMs - existing.refilledAtMs, 0) / 1_000;
      existing.tokens = Math.min(existing.tokens + elapsedS * this.limits.ratePerS, this.limits.burst);
      existing.refilledAtMs = nowMs;
      this.buckets.delete(key);
      this.buckets.set(key, existing);
      return existing;
    }
    const leastRecentlyUsed = this.buckets.keys().next();
    if (this.buckets.size >= this.limits.bucketsMax && leastRecentlyUsed.done !== true) {
      this.buckets.delete(leastRecentlyUsed.value);
    }
    const bucket = { tokens: this.limits.burst, refilledAtMs: nowMs };
    this.buckets.set(key, bucket);
    return bucket;
  }
}
