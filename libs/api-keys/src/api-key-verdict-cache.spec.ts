import type { ApiKeyVerdict } from './api-key';
import { ApiKeyVerdictCache } from './api-key-verdict-cache';

const VALID: ApiKeyVerdict = { valid: true, merchantId: 'merchant_1', mode: 'test', validUntil: null };
const UNKNOWN: ApiKeyVerdict = { valid: false, reason: 'unknown' };

function cacheAt(clock: { now: number }, entriesMax = 3): ApiKeyVerdictCache {
  return new ApiKeyVerdictCache({ ttlMs: 30_000, entriesMax }, () => clock.now);
}

describe('ApiKeyVerdictCache', () => {
  it('answers a verdict for its TTL and forgets it after', () => {
    const clock = { now: 0 };
    const cache = cacheAt(clock);
    cache.set('a', VALID);
    cache.set('b', UNKNOWN);
    clock.now = 29_999;
    expect(cache.get('a')).toBe(VALID);
    expect(cache.get('b')).toBe(UNKNOWN);
    clock.now = 30_000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never trusts a valid verdict past the end of its key', () => {
    const clock = { now: 0 };
    const cache = cacheAt(clock);
    cache.set('a', { ...VALID, validUntil: new Date(5_000) });
    clock.now = 4_999;
    expect(cache.get('a')).toBeDefined();
    clock.now = 5_000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('holds at most entriesMax verdicts, dropping the least recently used', () => {
    const clock = { now: 0 };
    const cache = cacheAt(clock, 2);
    cache.set('a', VALID);
    cache.set('b', VALID);
    expect(cache.get('a')).toBe(VALID);
    cache.set('c', VALID);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(VALID);
    expect(cache.get('c')).toBe(VALID);
  });
});
