import { isUUID } from 'class-validator';
import { formatViolations } from './contract.error';
import { CLOUDEVENTS_SPEC_VERSION, EventEnvelope, JSON_CONTENT_TYPE } from './envelope';
import { EventTypeDefinition } from './event-type-definition';
import { EventTypeRegistry } from './event-type-registry';
import { eventTypes } from './event-types';
import { decodeUtf8, KafkaHeaders, normaliseKafkaHeaders } from './kafka-headers.util';
import { validatePayload } from './payload-validation.util';
import { isRfc3339Timestamp } from './timestamp.util';
import { isValidTraceparent } from './traceparent.util';

/** CloudEvents Kafka binding, binary mode: attributes travel as headers, data as the value. */
export const CLOUDEVENTS_HEADERS = {
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  specversion: 'ce_specversion',
  time: 'ce_time',
  subject: 'ce_subject',
  contentType: 'content-type',
  traceparent: 'traceparent',
} as const;

const REQUIRED_HEADERS = [
  CLOUDEVENTS_HEADERS.id,
  CLOUDEVENTS_HEADERS.type,
  CLOUDEVENTS_HEADERS.source,
  CLOUDEVENTS_HEADERS.time,
  CLOUDEVENTS_HEADERS.subject,
] as const;

export interface OutgoingKafkaRecord {
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

/** A consumed record in the shape kafkajs delivers it. */
export interface IncomingKafkaRecord {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: KafkaHeaders;
}

export type ContractRejectionReason =
  | 'missing_header'
  | 'invalid_header'
  | 'unsupported_specversion'
  | 'unknown_type'
  | 'invalid_json'
  | 'invalid_payload'
  | 'key_mismatch'
  | 'invalid_time';

export interface ContractRejection {
  readonly ok: false;
  readonly reason: ContractRejectionReason;
  readonly detail: string;
}

export type ParseResult<P extends object = object> =
  { readonly ok: true; readonly envelope: EventEnvelope<P> } | ContractRejection;

export interface ParseOptions {
  /**
   * Consumers tolerate fields they do not know, because schemas grow additively within a version
   * and producers may deploy first; unknown fields are dropped from the parsed data. Default true.
   */
  readonly allowUnknownFields?: boolean;
}

export function toKafkaRecord(envelope: EventEnvelope): OutgoingKafkaRecord {
  const headers: Record<string, string> = {
    [CLOUDEVENTS_HEADERS.id]: envelope.id,
    [CLOUDEVENTS_HEADERS.type]: envelope.type,
    [CLOUDEVENTS_HEADERS.source]: envelope.source,
    [CLOUDEVENTS_HEADERS.specversion]: envelope.specversion,
    [CLOUDEVENTS_HEADERS.time]: envelope.time,
    [CLOUDEVENTS_HEADERS.subject]: envelope.subject,
    [CLOUDEVENTS_HEADERS.contentType]: envelope.datacontenttype,
  };
  if (envelope.traceparent !== undefined) {
    headers[CLOUDEVENTS_HEADERS.traceparent] = envelope.traceparent;
  }
  return { key: envelope.subject, value: Buffer.from(JSON.stringify(envelope.data), 'utf8'), headers };
}

function reject(reason: ContractRejectionReason, detail: string): ContractRejection {
  return { ok: false, reason, detail };
}

function isJsonContentType(value: string | undefined): boolean {
  // Absent is read as JSON, the only content type Keel produces; parameters such as charset are allowed.
  return value === undefined || value.split(';')[0].trim().toLowerCase() === JSON_CONTENT_TYPE;
}

function checkHeaders(headers: Readonly<Record<string, string | undefined>>): ContractRejection | undefined {
  const specversion = headers[CLOUDEVENTS_HEADERS.specversion];
  if (specversion === undefined || specversion === '') {
    return reject('missing_header', `${CLOUDEVENTS_HEADERS.specversion} is missing or empty`);
  }
  if (specversion !== CLOUDEVENTS_SPEC_VERSION) {
    return reject(
      'unsupported_specversion',
      `specversion '${specversion}' is not ${CLOUDEVENTS_SPEC_VERSION}`,
    );
  }
  const missing = REQUIRED_HEADERS.find((name) => (headers[name] ?? '') === '');
  if (missing !== undefined) {
    return reject('missing_header', `${missing} is missing or empty`);
  }
  if (!isUUID(headers[CLOUDEVENTS_HEADERS.id])) {
    return reject('invalid_header', `${CLOUDEVENTS_HEADERS.id} must be a UUID`);
  }
  if (!isJsonContentType(headers[CLOUDEVENTS_HEADERS.contentType])) {
    return reject('invalid_header', `content-type '${headers[CLOUDEVENTS_HEADERS.contentType]}' is not JSON`);
  }
  if (!isRfc3339Timestamp(headers[CLOUDEVENTS_HEADERS.time])) {
    return reject(
      'invalid_time',
      `${CLOUDEVENTS_HEADERS.time} '${headers[CLOUDEVENTS_HEADERS.time]}' is not RFC 3339`,
    );
  }
  return undefined;
}

function decodeKey(key: Buffer | string | null | undefined): string | undefined {
  if (key === null || key === undefined) {
    return undefined;
  }
  return typeof key === 'string' ? key : decodeUtf8(key);
}

function decodeJson(value: Buffer | string | null): { ok: true; data: unknown } | ContractRejection {
  const text = value === null || typeof value === 'string' ? value : decodeUtf8(value);
  if (text === null || text === undefined) {
    return reject('invalid_json', value === null ? 'record has no value' : 'value is not valid UTF-8');
  }
  try {
    return { ok: true, data: JSON.parse(text) };
  } catch (error: unknown) {
    return reject('invalid_json', error instanceof Error ? error.message : 'value is not JSON');
  }
}

function validateData(
  definition: EventTypeDefinition,
  data: unknown,
  allowUnknownFields: boolean,
): { ok: true; payload: Record<string, unknown> } | ContractRejection {
  try {
    const result = validatePayload(definition.payload, data, { allowUnknownFields });
    return result.ok ? result : reject('invalid_payload', formatViolations(result.violations));
  } catch (error: unknown) {
    // Hostile input (e.g. nesting deep enough to exhaust the stack) must still end as a rejection.
    return reject(
      'invalid_payload',
      error instanceof Error ? error.message : 'payload could not be validated',
    );
  }
}

function envelopeOf<P extends object>(
  headers: Readonly<Record<string, string>>,
  payload: Record<string, unknown>,
): EventEnvelope<P> {
  const traceparent = headers[CLOUDEVENTS_HEADERS.traceparent];
  const envelope: EventEnvelope<P> = {
    id: headers[CLOUDEVENTS_HEADERS.id],
    type: headers[CLOUDEVENTS_HEADERS.type],
    source: headers[CLOUDEVENTS_HEADERS.source],
    specversion: CLOUDEVENTS_SPEC_VERSION,
    time: headers[CLOUDEVENTS_HEADERS.time],
    subject: headers[CLOUDEVENTS_HEADERS.subject],
    datacontenttype: JSON_CONTENT_TYPE,
    // The caller names P; the data was validated against the class registered for ce_type.
    data: payload as P,
  };
  // An invalid traceparent is dropped, as W3C trace context asks: it must not reject the event.
  return isValidTraceparent(traceparent) ? { ...envelope, traceparent } : envelope;
}

/**
 * Reads a consumed record into a validated envelope. Never throws on bad input: it returns the
 * reason, which the consumer forwards with the record to the dead-letter topic.
 */
export function parseKafkaRecord<P extends object = object>(
  record: IncomingKafkaRecord,
  registry: EventTypeRegistry = eventTypes,
  options: ParseOptions = {},
): ParseResult<P> {
  const normalised = normaliseKafkaHeaders(record.headers ?? {});
  if (!normalised.ok) {
    return reject('invalid_header', normalised.detail);
  }
  const headers = normalised.headers;
  const headerRejection = checkHeaders(headers);
  if (headerRejection !== undefined) {
    return headerRejection;
  }
  const definition = registry.find(headers[CLOUDEVENTS_HEADERS.type]);
  if (definition === undefined) {
    return reject('unknown_type', `type '${headers[CLOUDEVENTS_HEADERS.type]}' is not registered`);
  }
  const subject = headers[CLOUDEVENTS_HEADERS.subject];
  const key = decodeKey(record.key);
  if (key !== subject) {
    return reject(
      'key_mismatch',
      `key ${key === undefined ? 'is absent' : `'${key}'`} but ce_subject is '${subject}'`,
    );
  }
  const json = decodeJson(record.value);
  if (!json.ok) {
    return json;
  }
  const validated = validateData(definition, json.data, options.allowUnknownFields ?? true);
  if (!validated.ok) {
    return validated;
  }
  if (validated.payload[definition.subject] !== subject) {
    return reject(
      'key_mismatch',
      `ce_subject '${subject}' differs from payload field '${definition.subject}'`,
    );
  }
  return { ok: true, envelope: envelopeOf<P>(headers, validated.payload) };
}
