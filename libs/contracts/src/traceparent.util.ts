/**
 * The one reader of W3C Trace Context `traceparent` values (https://www.w3.org/TR/trace-context/),
 * for HTTP headers and the CloudEvents attribute on Kafka records alike. It stays here, free of any
 * framework, because events carry it: contracts validate it, observability continues the trace.
 */

/** The fields of a `traceparent`. */
export interface Traceparent {
  /** 32 lower-case hex digits, not all zero. */
  readonly traceId: string;
  /** The parent (span) id: 16 lower-case hex digits, not all zero. */
  readonly spanId: string;
  /** Trace flags byte; bit 0 is "sampled". */
  readonly flags: number;
}

/** Longer values are refused before parsing; a version-00 traceparent is 55 characters. */
export const TRACEPARENT_MAX_LENGTH = 256;

// Versions after 00 may append fields after the flags, which a version-00 reader must ignore.
const TRACEPARENT_PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const INVALID_VERSION = 'ff';
const ALL_ZEROS = /^0+$/;

/** The fields of `value`, or undefined for anything the W3C spec says to discard. */
export function parseTraceparent(value: unknown): Traceparent | undefined {
  if (typeof value !== 'string' || value.length > TRACEPARENT_MAX_LENGTH) return undefined;
  const match = TRACEPARENT_PATTERN.exec(value);
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === INVALID_VERSION || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(spanId)) return undefined;
  return { traceId, spanId, flags: Number.parseInt(flags, 16) };
}

export function isValidTraceparent(value: unknown): value is string {
  return parseTraceparent(value) !== undefined;
}
