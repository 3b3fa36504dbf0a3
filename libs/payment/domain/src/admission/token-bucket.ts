export interface TokenBucketLimits {
  /** Tokens added per second. */
  readonly ratePerS: number;
  /** Tokens a bucket holds at most: the burst a key may send at once. */
  readonly burst: number;
  /** Buckets kept at most, so memory stays bounded whatever the number of keys. */
  readonly bucketsMax: number;
}

export type TakeResult = { readonly taken: true } | { readonly taken: false; readonly retryAfterS: number };

interface Bucket {
  tokens: number;
  refilledAtMs: number;
}

/**
 * One token bucket per key (an API key), refilled lazily on each take from the given clock. A key
 * without a bucket is full. The buckets are kept in least-recently-used order; each take forgets
 * the buckets idle long enough to be full again (burst / ratePerS seconds), since a full bucket is
 * the same as none, and past bucketsMax the least recently used is dropped: it has had the longest
 * to refill, and dropping a bucket only ever lets its owner send more, never less.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillMs: number;

  constructor(
    private readonly limits: TokenBucketLimits,
    private readonly nowMs: () => number,
  ) {
    this.refillMs = (limits.burst / limits.ratePerS) * 1_000;
  }

  take(key: string, retryAfterMaxS: number): TakeResult {
    const nowMs = this.nowMs();
    this.forgetIdle(nowMs);
    const bucket = this.refilled(key, nowMs);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { taken: true };
    }
    const retryAfterS = Math.ceil((1 - bucket.tokens) / this.limits.ratePerS);
    return { taken: false, retryAfterS: Math.min(Math.max(retryAfterS, 1), retryAfterMaxS) };
  }

  /** Live buckets, for tests of the bounds. */
  get size(): number {
    return this.buckets.size;
  }

  /** Oldest first, so each take looks at one bucket beyond those it forgets. */
  private forgetIdle(nowMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (nowMs - bucket.refilledAtMs < this.refillMs) return;
      this.buckets.delete(key);
    }
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
