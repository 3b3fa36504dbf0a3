import { TokenBuckets } from './token-bucket';

const RETRY_AFTER_MAX_S = 30;

function bucketsAt(limits: { ratePerS: number; burst: number; bucketsMax?: number }) {
  const clock = { nowMs: 1_000_000 };
  const buckets = new TokenBuckets({ bucketsMax: 1_000, ...limits }, () => clock.nowMs);
  return { buckets, clock };
}

function takeTimes(buckets: TokenBuckets, key: string, times: number): boolean[] {
  return Array.from({ length: times }, () => buckets.take(key, RETRY_AFTER_MAX_S).taken);
}

describe('TokenBuckets', () => {
  it('lets a new key send its burst at once, then refuses with the seconds until the next token', () => {
    const { buckets } = bucketsAt({ ratePerS: 2, burst: 3 });
    expect(takeTimes(buckets, 'm1', 3)).toEqual([true, true, true]);
    expect(buckets.take('m1', RETRY_AFTER_MAX_S)).toEqual({ taken: false, retryAfterS: 1 });
  });

  it('refills at the rate, never above the burst', () => {
    const { buckets, clock } = bucketsAt({ ratePerS: 2, burst: 3 });
    takeTimes(buckets, 'm1', 3);
    clock.nowMs += 500;
    expect(takeTimes(buckets, 'm1', 2)).toEqual([true, false]);
    clock.nowMs += 60_000;
    expect(takeTimes(buckets, 'm1', 4)).toEqual([true, true, true, false]);
  });

  it('keeps each key apart', () => {
    const { buckets } = bucketsAt({ ratePerS: 1, burst: 1 });
    expect(takeTimes(buckets, 'm1', 2)).toEqual([true, false]);
    expect(takeTimes(buckets, 'm2', 1)).toEqual([true]);
  });

  it('derives Retry-After from the missing fraction of a token and clamps it to the maximum', () => {
    const { buckets, clock } = bucketsAt({ ratePerS: 0.1, burst: 1 });
    buckets.take('m1', 30);
    clock.nowMs += 2_500;
    expect(buckets.take('m1', 30)).toEqual({ taken: false, retryAfterS: 8 });
    expect(buckets.take('m1', 5)).toEqual({ taken: false, retryAfterS: 5 });
  });

  it('ignores a clock that steps back', () => {
    const { buckets, clock } = bucketsAt({ ratePerS: 1, burst: 1 });
    buckets.take('m1', RETRY_AFTER_MAX_S);
    clock.nowMs -= 10_000;
    expect(buckets.take('m1', RETRY_AFTER_MAX_S).taken).toBe(false);
  });

  it('keeps at most bucketsMax keys, forgetting the least recently used (which starts full again)', () => {
    const { buckets } = bucketsAt({ ratePerS: 1, burst: 1, bucketsMax: 2 });
    takeTimes(buckets, 'm1', 1);
    takeTimes(buckets, 'm2', 1);
    takeTimes(buckets, 'm1', 1);
    takeTimes(buckets, 'm3', 1);
    expect(buckets.size).toBe(2);
    expect(takeTimes(buckets, 'm1', 1)).toEqual([false]);
    expect(takeTimes(buckets, 'm2', 1)).toEqual([true]);
  });

  it('forgets a bucket once it has been idle long enough to be full again, and not before', () => {
    const { buckets, clock } = bucketsAt({ ratePerS: 2, burst: 4 });
    takeTimes(buckets, 'k1', 4);
    clock.nowMs += 1_000;
    takeTimes(buckets, 'k2', 1);
    expect(buckets.size).toBe(2);
    clock.nowMs += 999;
    takeTimes(buckets, 'k3', 1);
    expect(buckets.size).toBe(3);
    clock.nowMs += 1;
    takeTimes(buckets, 'k3', 1);
    expect(buckets.size).toBe(2);
    expect(takeTimes(buckets, 'k1', 5)).toEqual([true, true, true, true, false]);
  });

  it('keeps its size bounded under a stream of new keys, each still limited to its burst', () => {
    const { buckets, clock } = bucketsAt({ ratePerS: 1, burst: 2, bucketsMax: 50 });
    for (let index = 0; index < 10_000; index += 1) {
      clock.nowMs += 1;
      expect(takeTimes(buckets, `key-${index}`, 3)).toEqual([true, true, false]);
      expect(buckets.size).toBeLessThanOrEqual(50);
    }
  });
});
