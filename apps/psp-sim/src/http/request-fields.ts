import { createHash, timingSafeEqual } from 'node:crypto';
import { isCurrencyCode, type CurrencyCode } from '@keel/money';

/** Idempotency keys, order numbers and ids: printable ASCII, at most this long. */
export const KEY_MAX_LENGTH = 255;
export const TEXT_MAX_LENGTH = 255;
/** nova's `amt` form field: at most 15 digits, so every amount is a JSON safe integer too. */
const DIGITS_AMOUNT_PATTERN = /^[1-9][0-9]{0,14}$/;
const KEY_PATTERN = /^[\x20-\x7e]+$/;

export function asKey(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= KEY_MAX_LENGTH && KEY_PATTERN.test(value)
    ? value
    : undefined;
}

/** Free text (tokens, issuers, references): non-empty, bounded, no control characters. */
export function asText(value: unknown, maxLength = TEXT_MAX_LENGTH): string | undefined {
  return typeof value === 'string' &&
    value.length > 0 &&
    value.length <= maxLength &&
    !hasControlCharacter(value)
    ? value
    : undefined;
}

function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** A JSON amount in minor units: a positive safe integer. */
export function asJsonAmount(value: unknown): bigint | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? BigInt(value) : undefined;
}

/** A form amount in minor units: digits, no sign, no leading zero. */
export function asDigitsAmount(value: unknown): bigint | undefined {
  return typeof value === 'string' && DIGITS_AMOUNT_PATTERN.test(value) ? BigInt(value) : undefined;
}

export function asCurrency(value: unknown): CurrencyCode | undefined {
  return isCurrencyCode(value) ? value : undefined;
}

/** The body as a plain object of fields, or an empty one for anything else. */
export function fieldsOf(body: unknown): Readonly<Record<string, unknown>> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

/** Compares a presented credential with the expected one in constant time. */
export function credentialMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
