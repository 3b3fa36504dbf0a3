import { parseTraceparent } from '@keel/contracts';
import {
  CORRELATION_ID_HEADER,
  DEFAULT_CORRELATION_ID_MAX_LENGTH,
  RequestContext,
  TRACEPARENT_HEADER,
  continueContext,
  currentContext,
  isValidCorrelationId,
} from './trace-context';

/** The header shape of a Kafka record as kafkajs and its API-compatible successors deliver it. */
export type MessageHeaderValue = Buffer | string | (Buffer | string)[] | undefined;
export type MessageHeaders = Record<string, MessageHeaderValue>;

/** The record's traceparent when it is valid, else undefined. */
export function traceparentFromHeaders(headers: MessageHeaders | undefined): string | undefined {
  const value = singleHeaderValue(headers, TRACEPARENT_HEADER);
  return parseTraceparent(value) ? value : undefined;
}

/** The record's correlation id when it is usable, else undefined. */
export function correlationIdFromHeaders(
  headers: MessageHeaders | undefined,
  maxLength: number = DEFAULT_CORRELATION_ID_MAX_LENGTH,
): string | undefined {
  const value = singleHeaderValue(headers, CORRELATION_ID_HEADER);
  return isValidCorrelationId(value, maxLength) ? value : undefined;
}

/** The context to run a consumed record's handler in: a child span of the producer's, same correlation id. */
export function contextFromHeaders(
  headers: MessageHeaders | undefined,
  maxCorrelationIdLength: number = DEFAULT_CORRELATION_ID_MAX_LENGTH,
): RequestContext {
  return continueContext(
    {
      traceparent: singleHeaderValue(headers, TRACEPARENT_HEADER),
      correlationId: singleHeaderValue(headers, CORRELATION_ID_HEADER),
    },
    maxCorrelationIdLength,
  );
}

/** Headers that carry `context` to the next hop (a produced record or an outgoing HTTP call). */
export function contextHeaders(
  context: RequestContext | undefined = currentContext(),
): Record<string, string> {
  if (context === undefined) return {};
  return { [TRACEPARENT_HEADER]: context.traceparent, [CORRELATION_ID_HEADER]: context.correlationId };
}

// A header repeated with different values is ambiguous, so only a single value counts.
function singleHeaderValue(headers: MessageHeaders | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  const value = headers[name] ?? headers[findHeaderName(headers, name) ?? name];
  const single = Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
  return single === undefined ? undefined : single.toString();
}

// Kafka header names are case-sensitive, but producers outside Keel may capitalise them.
function findHeaderName(headers: MessageHeaders, name: string): string | undefined {
  return Object.keys(headers).find((key) => key.toLowerCase() === name);
}
