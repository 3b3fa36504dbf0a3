import { generateApiKey, LOCAL_API_KEY_HASH_SECRET, type StoredApiKey } from '@keel/api-keys';
import type { PaymentEnvironment } from '../payment.environment';
import { ApiKeyAuthenticator } from './api-key-authenticator.service';
import type { ApiKeyRepository } from './api-key.repository';

/** A table of keys that counts the lookups made, and holds each answer until told. */
class CountingKeys {
  readonly rows = new Map<string, StoredApiKey>();
  lookups = 0;

  async findByHash(hash: string): Promise<StoredApiKey | undefined> {
    this.lookups += 1;
    await Promise.resolve();
    return this.rows.get(hash);
  }
}

function authenticatorOf(keys: CountingKeys, ttlMs = 30_000): ApiKeyAuthenticator {
  const environment = {
    API_KEY_HASH_SECRET: LOCAL_API_KEY_HASH_SECRET,
    API_KEY_CACHE_TTL_MS: ttlMs,
    API_KEY_CACHE_ENTRIES_MAX: 100,
  } as PaymentEnvironment;
  return new ApiKeyAuthenticator(keys as unknown as ApiKeyRepository, environment);
}

function stored(keys: CountingKeys, changes: Partial<StoredApiKey> = {}): string {
  const created = generateApiKey('test', LOCAL_API_KEY_HASH_SECRET);
  keys.rows.set(created.hash, {
    merchantId: 'merchant_1',
    mode: 'test',
    hash: created.hash,
    expiresAt: null,
    revokedAt: null,
    ...changes,
  });
  return created.key;
}

describe('ApiKeyAuthenticator', () => {
  afterEach(() => jest.useRealTimers());

  it('reads a key once, then answers from memory: no statement per request in steady state', async () => {
    const keys = new CountingKeys();
    const key = stored(keys);
    const authenticator = authenticatorOf(keys);
    for (let request = 0; request < 100; request += 1) {
      expect(await authenticator.authenticate(key)).toMatchObject({ valid: true, merchantId: 'merchant_1' });
    }
    expect(keys.lookups).toBe(1);
  });

  it('runs one lookup for requests that arrive together with a key not yet read', async () => {
    const keys = new CountingKeys();
    const key = stored(keys);
    const authenticator = authenticatorOf(keys);
    const verdicts = await Promise.all(Array.from({ length: 20 }, () => authenticator.authenticate(key)));
    expect(verdicts.every((verdict) => verdict.valid)).toBe(true);
    expect(keys.lookups).toBe(1);
  });

  it('never looks up what is not shaped like a key', async () => {
    const keys = new CountingKeys();
    const authenticator = authenticatorOf(keys);
    for (const candidate of ['', 'merchant_1', 'sk_test_short', `sk_prod_${'a'.repeat(43)}`]) {
      expect(await authenticator.authenticate(candidate)).toEqual({ valid: false, reason: 'unknown' });
    }
    expect(keys.lookups).toBe(0);
  });

  it('sees a revocation once the TTL has passed', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-07T12:00:00Z') });
    const keys = new CountingKeys();
    const key = stored(keys);
    const authenticator = authenticatorOf(keys, 30_000);
    expect(await authenticator.authenticate(key)).toMatchObject({ valid: true });
    for (const row of keys.rows.values()) keys.rows.set(row.hash, { ...row, revokedAt: new Date() });

    jest.advanceTimersByTime(29_999);
    expect(await authenticator.authenticate(key)).toMatchObject({ valid: true });
    jest.advanceTimersByTime(1);
    expect(await authenticator.authenticate(key)).toEqual({ valid: false, reason: 'revoked' });
  });

  it('remembers an unknown key for the TTL too, so a repeated bad key does not reach the database', async () => {
    const keys = new CountingKeys();
    const authenticator = authenticatorOf(keys);
    const key = generateApiKey('test', LOCAL_API_KEY_HASH_SECRET).key;
    for (let request = 0; request < 10; request += 1) {
      expect(await authenticator.authenticate(key)).toEqual({ valid: false, reason: 'unknown' });
    }
    expect(keys.lookups).toBe(1);
  });
});
