import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { ObservabilityError, ObservabilityErrorCode } from './observability.error';

/** Header names, lower case as HTTP/2 and Node deliver them; the same names are used on Kafka records. */
export const TRACEPARENT_HEADER = 'traceparent';
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** Longer values are refused before parsing; a W3C version-00 traceparent is 55 characters. */
export const TRACEPARENT_MAX_LENGTH = 256;
export const DEFAULT_CORRELATION_ID_MAX_LENGTH = 128;

/** W3C trace context `traceparent` fields (https://www.w3.org/TR/trace-context/). */
export interface Traceparent {
  readonly traceId: string;
  readonly spanId: string;
  /** Trace flags byte; bit 0 is "sampled". */
  readonly flags: number;
}

/** What every log line and outgoing message of one unit of work carries. */
export interface RequestContext {
  readonly traceparent: string;
  readonly correlationId: string;
}

export interface IncomingTraceHeaders {
  readonly traceparent?: string;
  readonly correlationId?: string;
}

// Future versions may append fields after the flags, which a version-00 parser must ignore.
const TRACEPARENT_PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const HEX_ID_PATTERN = { traceId: /^[0-9a-f]{32}$/, spanId: /^[0-9a-f]{16}$/ };
const ALL_ZEROS = /^0+$/;
// Correlation ids come from callers and end up in logs and headers, so only a safe alphabet passes.
const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]+$/;
const SAMPLED_FLAGS = 0x01;

/** Parses a `traceparent` header; answers undefined for anything the W3C spec says to discard. */
export function parseTraceparent(header: string | undefined): Traceparent | undefined {
  if (header === undefined || header.length > TRACEPARENT_MAX_LENGTH) return undefined;
  const match = TRACEPARENT_PATTERN.exec(header);
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff') return undefined;
  if (version === '00' && rest !== undefined) return undefined;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(spanId)) return undefined;
  return { traceId, spanId, flags: Number.parseInt(flags, 16) };
}

/** Formats as version 00; refuses ids that would produce a header other systems must discard. */
export function formatTraceparent(traceparent: Traceparent): string {
  const { traceId, spanId, flags } = traceparent;
  const validIds =
    HEX_ID_PATTERN.traceId.test(traceId) &&
    HEX_ID_PATTERN.spanId.test(spanId) &&
    !ALL_ZEROS.test(traceId) &&
    !ALL_ZEROS.test(spanId);
  if (!validIds || !Number.isInteger(flags) || flags < 0 || flags > 0xff) {
    throw new ObservabilityError(
      ObservabilityErrorCode.InvalidTraceparent,
      `not a valid traceparent: ${JSON.stringify(traceparent)}`,
    );
  }
  return `00-${traceId}-${spanId}-${flags.toString(16).padStart(2, '0')}`;
}

/** Starts a new trace (sampled), for work that arrives without a usable traceparent. */
export function createRootTraceparent(): Traceparent {
  return { traceId: randomNonZeroHex(16), spanId: randomNonZeroHex(8), flags: SAMPLED_FLAGS };
}

/** A new span in the parent's trace, keeping the parent's sampling decision. */
export function createChildTraceparent(parent: Traceparent): Traceparent {
  return { traceId: parent.traceId, spanId: randomNonZeroHex(8), flags: parent.flags };
}

/** The traceparent for work caused by `incoming`: its child when valid, else a new root. */
export function continueTraceparent(incoming: string | undefined): string {
  const parent = parseTraceparent(incoming);
  return formatTraceparent(parent ? createChildTraceparent(parent) : createRootTraceparent());
}

export function createCorrelationId(): string {
  return randomUUID();
}

export function isValidCorrelationId(
  value: string | undefined,
  maxLength: number = DEFAULT_CORRELATION_ID_MAX_LENGTH,
): value is string {
  return value !== undefined && value.length <= maxLength && CORRELATION_ID_PATTERN.test(value);
}

/** The context for work caused by an incoming request or message, with fresh ids where its own are unusable. */
export function continueContext(
  incoming: IncomingTraceHeaders,
  maxCorrelationIdLength: number = DEFAULT_CORRELATION_ID_MAX_LENGTH,
): RequestContext {
  return {
    traceparent: continueTraceparent(incoming.traceparent),
    correlationId: isValidCorrelationId(incoming.correlationId, maxCorrelationIdLength)
      ? incoming.correlationId
      : createCorrelationId(),
  };
}

const contextStorage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` (and everything asynchronous it starts) with `context` as the current context. */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return contextStorage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return contextStorage.getStore();
}

export function currentTraceparent(): string | undefined {
  return contextStorage.getStore()?.traceparent;
}

function randomNonZeroHex(byteCount: number): string {
  const bytes = randomBytes(byteCount);
  // An all-zero id is invalid; forcing one bit keeps the id random enough and needs no retry loop.
  if (bytes.every((byte) => byte === 0)) bytes[byteCount - 1] = 1;
  return bytes.toString('hex');
}
