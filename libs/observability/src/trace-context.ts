import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { parseTraceparent, type Traceparent } from '@keel/contracts';
import { ObservabilityError, ObservabilityErrorCode } from './observability.error';

/** Header names, lower case as HTTP/2 and Node deliver them; the same names are used on Kafka records. */
export const TRACEPARENT_HEADER = 'traceparent';
export const CORRELATION_ID_HEADER = 'x-correlation-id';

export const DEFAULT_CORRELATION_ID_MAX_LENGTH = 128;

/** What every log line and outgoing message of one unit of work carries. */
export interface RequestContext {
  readonly traceparent: string;
  readonly correlationId: string;
}

export interface IncomingTraceHeaders {
  readonly traceparent?: string;
  readonly correlationId?: string;
}

// Correlation ids come from callers and end up in logs and headers, so only a safe alphabet passes.
const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]+$/;
const SAMPLED_FLAGS = 0x01;

/** Formats as version 00; refuses fields that would make a value other systems must discard. */
export function formatTraceparent(traceparent: Traceparent): string {
  const { traceId, spanId, flags } = traceparent;
  const formatted = `00-${traceId}-${spanId}-${flags.toString(16).padStart(2, '0')}`;
  // Read back by the one parser: what it refuses (bad ids, flags that are not one byte) is refused.
  if (parseTraceparent(formatted) === undefined) {
    throw new ObservabilityError(
      ObservabilityErrorCode.InvalidTraceparent,
      `not a valid traceparent: ${JSON.stringify(traceparent)}`,
    );
  }
  return formatted;
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

/** Random bytes drawn a page at a time: a draw per id took about 8 µs here, a pooled id 0.25 µs. */
const RANDOM_POOL_BYTES = 4_096;
let randomPool = Buffer.alloc(0);
let randomPoolOffset = 0;

function randomNonZeroHex(byteCount: number): string {
  if (randomPoolOffset + byteCount > randomPool.length) {
    randomPool = randomBytes(RANDOM_POOL_BYTES);
    randomPoolOffset = 0;
  }
  const bytes = randomPool.subarray(randomPoolOffset, randomPoolOffset + byteCount);
  randomPoolOffset += byteCount;
  // An all-zero id is invalid; forcing one bit keeps the id random enough and needs no retry loop.
  if (bytes.every((byte) => byte === 0)) bytes[byteCount - 1] = 1;
  return bytes.toString('hex');
}
