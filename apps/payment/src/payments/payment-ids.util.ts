import { randomBytes } from 'node:crypto';

const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
/** 128 random bits: unguessable, so an id alone reveals nothing and cannot be enumerated. */
const ID_RANDOM_BYTES = 16;

export type IdPrefix = 'pay' | 'po';

/** Lower-case base32 without padding: URL-safe, case-insensitive-safe, no look-alike punctuation. */
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let output = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return output;
}

/** A new id such as `pay_3n5d…`: the prefix says what it names. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${base32(randomBytes(ID_RANDOM_BYTES))}`;
}

export const PAYMENT_ID_PATTERN = /^pay_[a-z2-7]{26}$/;
