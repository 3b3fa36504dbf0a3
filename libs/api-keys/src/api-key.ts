import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Merchant API keys: `sk_test_<secret>` or `sk_live_<secret>`, the secret 43 base62 characters
 * drawn from crypto randomness (256 bits). A key is shown once, when it is created; what is stored
 * is its HMAC-SHA-256 under a server secret (looked up by that hash: a stolen table without the
 * secret gives neither keys nor a way to test guesses offline) and its visible prefix, for listing.
 * As Hyperswitch (`crates/router/src/core/api_keys.rs`: a keyed BLAKE3 hash, a 12-character
 * prefix), with the mode in the key itself, expiry and revocation beside it, and a longer prefix.
 */
export const API_KEY_MODES = ['test', 'live'] as const;
export type ApiKeyMode = (typeof API_KEY_MODES)[number];

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 43 × log2(62) ≈ 256 bits. */
export const API_KEY_SECRET_LENGTH = 43;
/** The visible part of a key kept for listing and revoking: `sk_test_` and 8 characters of the secret. */
export const API_KEY_PREFIX_LENGTH = 16;

const API_KEY_PATTERN = new RegExp(`^sk_(test|live)_[0-9A-Za-z]{${API_KEY_SECRET_LENGTH}}$`);

export interface NewApiKey {
  /** The key itself: given to the merchant once, never stored. */
  readonly key: string;
  readonly mode: ApiKeyMode;
  readonly prefix: string;
  /** What is stored and looked up: HMAC-SHA-256 of the key, lower-case hex. */
  readonly hash: string;
}

/** A fresh key of `mode`, with what is stored about it. */
export function generateApiKey(mode: ApiKeyMode, hashSecret: string): NewApiKey {
  let secret = '';
  // randomInt draws without modulo bias.
  for (let index = 0; index < API_KEY_SECRET_LENGTH; index += 1) secret += BASE62[randomInt(BASE62.length)];
  const key = `sk_${mode}_${secret}`;
  return { key, mode, prefix: apiKeyPrefixOf(key), hash: hashApiKey(key, hashSecret) };
}

/** The mode a well-formed key names; undefined for anything that is not a key (never looked up). */
export function modeOfApiKey(candidate: string): ApiKeyMode | undefined {
  const match = API_KEY_PATTERN.exec(candidate);
  return match === null ? undefined : (match[1] as ApiKeyMode);
}

export function hashApiKey(key: string, hashSecret: string): string {
  return createHmac('sha256', hashSecret).update(key, 'utf8').digest('hex');
}

export function apiKeyPrefixOf(key: string): string {
  return key.slice(0, API_KEY_PREFIX_LENGTH);
}

/** Whether two stored hashes are the same, in time that does not depend on where they differ. */
export function sameApiKeyHash(left: string, right: string): boolean {
  const a = Buffer.from(left, 'utf8');
  const b = Buffer.from(right, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What is stored about a key and decides whether it still opens the API. */
export interface StoredApiKey {
  readonly merchantId: string;
  readonly mode: ApiKeyMode;
  readonly hash: string;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

export type ApiKeyVerdict =
  | {
      readonly valid: true;
      readonly merchantId: string;
      readonly mode: ApiKeyMode;
      readonly validUntil: Date | null;
    }
  | { readonly valid: false; readonly reason: 'unknown' | 'revoked' | 'expired' };

/**
 * Whether the presented key's hash, found as `stored` (or not found), may act at `now`. The
 * lookup is by hash; the stored hash is compared again in constant time, and the mode in the key
 * must be the one it was created with, so neither a lookup that matched loosely nor an edited row
 * lets a key through.
 */
export function verifyApiKey(
  presentedHash: string,
  presentedMode: ApiKeyMode,
  stored: StoredApiKey | undefined,
  now: Date,
): ApiKeyVerdict {
  if (stored === undefined || !sameApiKeyHash(presentedHash, stored.hash) || stored.mode !== presentedMode) {
    return { valid: false, reason: 'unknown' };
  }
  if (stored.revokedAt !== null && stored.revokedAt.getTime() <= now.getTime()) {
    return { valid: false, reason: 'revoked' };
  }
  if (stored.expiresAt !== null && stored.expiresAt.getTime() <= now.getTime()) {
    return { valid: false, reason: 'expired' };
  }
  // A revocation scheduled for later (rotation with overlap) ends the key like an expiry.
  const ends = [stored.expiresAt, stored.revokedAt].filter((end): end is Date => end !== null);
  const validUntil = ends.length === 0 ? null : new Date(Math.min(...ends.map((end) => end.getTime())));
  return { valid: true, merchantId: stored.merchantId, mode: stored.mode, validUntil };
}

/** The key in an `Authorization: Bearer <key>` header value; undefined for any other form. */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(authorization);
  return match?.[1];
}
