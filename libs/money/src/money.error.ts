/**
 * Why a money operation was refused. A const object rather than a TypeScript enum so callers can
 * compare `error.code` with plain strings (for example in an exception filter) without casts.
 */
export const MoneyErrorCode = {
  UNKNOWN_CURRENCY: 'UNKNOWN_CURRENCY',
  CURRENCY_MISMATCH: 'CURRENCY_MISMATCH',
  INVALID_AMOUNT: 'INVALID_AMOUNT',
  INVALID_ALLOCATION: 'INVALID_ALLOCATION',
  INVALID_ROUNDING_MODE: 'INVALID_ROUNDING_MODE',
  NOT_AN_INTEGER: 'NOT_AN_INTEGER',
} as const;

export type MoneyErrorCode = (typeof MoneyErrorCode)[keyof typeof MoneyErrorCode];

/** The one error type of `@keel/money`; `code` says why, `message` says it to a human. */
export class MoneyError extends Error {
  readonly code: MoneyErrorCode;

  constructor(code: MoneyErrorCode, message: string) {
    super(message);
    this.name = 'MoneyError';
    this.code = code;
  }
}

const QUOTED_INPUT_CHARS_MAX = 40;

/** Quotes untrusted input for an error message, cut short so a huge input cannot bloat logs. */
export function quoteInput(input: unknown): string {
  if (typeof input !== 'string') return typeof input === 'bigint' ? `${input}n` : String(input);
  if (input.length <= QUOTED_INPUT_CHARS_MAX) return JSON.stringify(input);
  return `${JSON.stringify(input.slice(0, QUOTED_INPUT_CHARS_MAX))}… (${input.length} chars)`;
}
