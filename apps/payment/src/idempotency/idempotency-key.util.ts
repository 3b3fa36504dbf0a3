/** IETF draft-ietf-httpapi-idempotency-key-header: the header that makes a POST safe to retry. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
export const IDEMPOTENCY_KEY_LENGTH_MAX = 255;

const KEY_PATTERN = /^[\x20-\x7E]+$/;

export type IdempotencyKeyResult =
  | { readonly ok: true; readonly key: string }
  | { readonly ok: false; readonly reason: 'missing' | 'invalid' };

/**
 * Reads the header. The draft defines the key as a Structured Field string ("..."); plain tokens
 * are accepted too because most clients send them, and both spellings name the same key.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): IdempotencyKeyResult {
  if (header === undefined) return { ok: false, reason: 'missing' };
  // Node joins repeated headers; two keys for one request is a client error, not a choice for us.
  if (Array.isArray(header)) return { ok: false, reason: 'invalid' };
  const quoted = header.length >= 2 && header.startsWith('"') && header.endsWith('"');
  const key = quoted ? header.slice(1, -1) : header;
  if (key.length === 0) return { ok: false, reason: header.length === 0 ? 'missing' : 'invalid' };
  if (key.length > IDEMPOTENCY_KEY_LENGTH_MAX || !KEY_PATTERN.test(key))
    return { ok: false, reason: 'invalid' };
  if (quoted && /["\\]/.test(key)) return { ok: false, reason: 'invalid' };
  return { ok: true, key };
}
