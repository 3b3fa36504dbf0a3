import {
  API_KEY_PREFIX_LENGTH,
  bearerTokenOf,
  generateApiKey,
  hashApiKey,
  modeOfApiKey,
  sameApiKeyHash,
  verifyApiKey,
  type StoredApiKey,
} from './api-key';

const SECRET = 'a-hash-secret-of-at-least-thirty-two-characters';
const NOW = new Date('2026-12-07T12:00:00Z');

function storedOf(key: ReturnType<typeof generateApiKey>, changes: Partial<StoredApiKey> = {}): StoredApiKey {
  return {
    merchantId: 'merchant_1',
    mode: key.mode,
    hash: key.hash,
    expiresAt: null,
    revokedAt: null,
    ...changes,
  };
}

describe('generateApiKey', () => {
  it('makes sk_<mode>_ and 43 base62 characters, with its prefix and keyed hash', () => {
    const test = generateApiKey('test', SECRET);
    const live = generateApiKey('live', SECRET);
    expect(test.key).toMatch(/^sk_test_[0-9A-Za-z]{43}$/);
    expect(live.key).toMatch(/^sk_live_[0-9A-Za-z]{43}$/);
    expect(test.prefix).toBe(test.key.slice(0, API_KEY_PREFIX_LENGTH));
    expect(test.hash).toBe(hashApiKey(test.key, SECRET));
    expect(test.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never makes the same key twice and spreads over the whole alphabet', () => {
    const keys = Array.from({ length: 500 }, () => generateApiKey('test', SECRET).key);
    expect(new Set(keys).size).toBe(keys.length);
    const characters = new Set(keys.flatMap((key) => [...key.slice('sk_test_'.length)]));
    expect(characters.size).toBe(62);
  });

  it('hashes with the server secret: another secret gives another hash', () => {
    const { key, hash } = generateApiKey('test', SECRET);
    expect(hashApiKey(key, `${SECRET}-other`)).not.toBe(hash);
    expect(hash).not.toContain(key.slice(8));
  });
});

describe('modeOfApiKey', () => {
  it('reads the mode of a well-formed key and refuses anything else', () => {
    const { key } = generateApiKey('live', SECRET);
    expect(modeOfApiKey(key)).toBe('live');
    expect(modeOfApiKey(generateApiKey('test', SECRET).key)).toBe('test');
    for (const candidate of [
      '',
      'sk_test_',
      `${key}x`,
      key.slice(0, -1),
      key.replace('sk_live', 'pk_live'),
      `sk_prod_${key.slice(8)}`,
      `${key.slice(0, -1)}-`,
    ]) {
      expect(modeOfApiKey(candidate)).toBeUndefined();
    }
  });
});

describe('sameApiKeyHash', () => {
  it('is true only for equal strings, whatever their lengths', () => {
    expect(sameApiKeyHash('abc', 'abc')).toBe(true);
    expect(sameApiKeyHash('abc', 'abd')).toBe(false);
    expect(sameApiKeyHash('abc', 'abcd')).toBe(false);
  });
});

describe('verifyApiKey', () => {
  const key = generateApiKey('test', SECRET);

  it('lets a stored, current key act for its merchant and mode', () => {
    expect(verifyApiKey(key.hash, 'test', storedOf(key), NOW)).toEqual({
      valid: true,
      merchantId: 'merchant_1',
      mode: 'test',
      validUntil: null,
    });
  });

  it('refuses a key not found, a row of another hash and a key of another mode as unknown', () => {
    expect(verifyApiKey(key.hash, 'test', undefined, NOW)).toEqual({ valid: false, reason: 'unknown' });
    const other = generateApiKey('test', SECRET);
    expect(verifyApiKey(key.hash, 'test', storedOf(other), NOW)).toEqual({ valid: false, reason: 'unknown' });
    expect(verifyApiKey(key.hash, 'live', storedOf(key), NOW)).toEqual({ valid: false, reason: 'unknown' });
  });

  it('refuses a key revoked or expired at or before now', () => {
    expect(verifyApiKey(key.hash, 'test', storedOf(key, { revokedAt: NOW }), NOW)).toEqual({
      valid: false,
      reason: 'revoked',
    });
    expect(
      verifyApiKey(key.hash, 'test', storedOf(key, { expiresAt: new Date(NOW.getTime() - 1) }), NOW),
    ).toEqual({
      valid: false,
      reason: 'expired',
    });
  });

  it('keeps a key whose revocation or expiry is still ahead valid until the earlier of them', () => {
    const revokedAt = new Date(NOW.getTime() + 60_000);
    const expiresAt = new Date(NOW.getTime() + 120_000);
    expect(verifyApiKey(key.hash, 'test', storedOf(key, { revokedAt, expiresAt }), NOW)).toMatchObject({
      valid: true,
      validUntil: revokedAt,
    });
    expect(verifyApiKey(key.hash, 'test', storedOf(key, { expiresAt }), NOW)).toMatchObject({
      valid: true,
      validUntil: expiresAt,
    });
  });
});

describe('bearerTokenOf', () => {
  it('reads the token of a Bearer header only', () => {
    expect(bearerTokenOf('Bearer sk_test_abc')).toBe('sk_test_abc');
    expect(bearerTokenOf('bearer  sk_test_abc')).toBe('sk_test_abc');
    expect(bearerTokenOf(undefined)).toBeUndefined();
    expect(bearerTokenOf('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerTokenOf('Bearer')).toBeUndefined();
    expect(bearerTokenOf('Bearer a b')).toBeUndefined();
    expect(bearerTokenOf('sk_test_abc')).toBeUndefined();
  });
});
