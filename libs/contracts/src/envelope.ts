import { randomUUID } from 'node:crypto';
import { isUUID } from 'class-validator';
import { ContractError, ContractErrorCode } from './contract.error';
import { EventTypeDefinition } from './event-type-definition';
import { EventTypeRegistry } from './event-type-registry';
import { eventTypes, KeelEventType, PayloadOf } from './event-types';
import { validatePayload } from './payload-validation.util';
import { isRfc3339Timestamp } from './timestamp.util';
import { isValidTraceparent } from './traceparent.util';

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const JSON_CONTENT_TYPE = 'application/json';

/** A CloudEvents 1.0 event as Keel's code sees it; on Kafka it travels in binary mode. */
export interface EventEnvelope<P extends object = object> {
  readonly id: string;
  readonly type: string;
  /** The producing service as a URI reference, e.g. '/keel/payment'. */
  readonly source: string;
  readonly specversion: typeof CLOUDEVENTS_SPEC_VERSION;
  /** RFC 3339 time at which the event happened. */
  readonly time: string;
  /** The aggregate id, which is also the Kafka key. */
  readonly subject: string;
  readonly datacontenttype: typeof JSON_CONTENT_TYPE;
  /** W3C trace context of the work that produced the event. */
  readonly traceparent?: string;
  readonly data: P;
}

export interface BuildEnvelopeInput<P extends object> {
  readonly type: string;
  readonly source: string;
  readonly data: P;
  /** Defaults to the payload's subject field; when given it must equal that field. */
  readonly subject?: string;
  readonly traceparent?: string;
  /** Defaults to a random UUID; pass one only to rebuild an event that already has an id. */
  readonly id?: string;
  /** Defaults to now. */
  readonly time?: string;
}

export interface BuildEnvelopeOptions {
  /**
   * Producers must be exact, so unknown fields are rejected by default: a field a producer sends
   * must first be declared here, where every consumer can see it.
   */
  readonly allowUnknownFields?: boolean;
}

function validatedData(
  definition: EventTypeDefinition,
  data: object,
  allowUnknownFields: boolean,
): Record<string, unknown> {
  const result = validatePayload(definition.payload, data, { allowUnknownFields });
  if (!result.ok) {
    throw new ContractError(
      ContractErrorCode.InvalidPayload,
      `Payload of '${definition.type}' is invalid`,
      result.violations,
    );
  }
  return result.payload;
}

function subjectOf(
  definition: EventTypeDefinition,
  payload: Record<string, unknown>,
  given?: string,
): string {
  const subject = payload[definition.subject];
  if (typeof subject !== 'string' || subject.length === 0) {
    throw new ContractError(
      ContractErrorCode.SubjectMismatch,
      `Payload field '${definition.subject}' of '${definition.type}' must be a non-empty string`,
    );
  }
  if (given !== undefined && given !== subject) {
    throw new ContractError(
      ContractErrorCode.SubjectMismatch,
      `Subject '${given}' differs from payload field '${definition.subject}' ('${subject}')`,
    );
  }
  return subject;
}

function assertValidAttributes(id: string, source: string, time: string): void {
  if (!isUUID(id)) {
    throw new ContractError(ContractErrorCode.InvalidEnvelope, `Event id '${id}' must be a UUID`);
  }
  if (source.trim().length === 0) {
    throw new ContractError(ContractErrorCode.InvalidEnvelope, 'Event source must not be empty');
  }
  if (!isRfc3339Timestamp(time)) {
    throw new ContractError(
      ContractErrorCode.InvalidTime,
      `Event time '${time}' must be an RFC 3339 timestamp`,
    );
  }
}

/**
 * Builds a validated event. Throws ContractError when the type is unknown or the payload, subject,
 * id, source or time is invalid. A malformed traceparent is dropped rather than fatal, because
 * W3C trace context must never stop the work it describes.
 */
export function buildEnvelope<P extends object>(
  input: BuildEnvelopeInput<P>,
  registry: EventTypeRegistry = eventTypes,
  options: BuildEnvelopeOptions = {},
): EventEnvelope<P> {
  const definition = registry.get(input.type);
  const data = validatedData(definition, input.data, options.allowUnknownFields ?? false);
  const subject = subjectOf(definition, data, input.subject);
  const id = input.id ?? randomUUID();
  const time = input.time ?? new Date().toISOString();
  assertValidAttributes(id, input.source, time);
  const envelope: EventEnvelope<P> = {
    id,
    type: definition.type,
    source: input.source,
    specversion: CLOUDEVENTS_SPEC_VERSION,
    time,
    subject,
    datacontenttype: JSON_CONTENT_TYPE,
    // The validated copy has exactly the declared fields of P, so it is a P.
    data: data as P,
  };
  return isValidTraceparent(input.traceparent) ? { ...envelope, traceparent: input.traceparent } : envelope;
}

/** Narrows a parsed envelope to one of Keel's event types, typing its data. */
export function isEventOfType<T extends KeelEventType>(
  envelope: EventEnvelope,
  type: T,
): envelope is EventEnvelope<PayloadOf<T>> {
  return envelope.type === type;
}
