import { ContractError, ContractErrorCode } from './contract.error';
import { CLOUDEVENTS_SPEC_VERSION, JSON_CONTENT_TYPE } from './envelope';
import { EventTypeDefinition } from './event-type-definition';
import { EventTypeRegistry } from './event-type-registry';
import { eventTypes } from './event-types';
import {
  JsonSchema,
  reachablePayloadClasses,
  schemaOfPayloadClass,
  schemaRefOf,
  SCHEMA_REF_PREFIX,
} from './json-schema.util';
import { CLOUDEVENTS_HEADERS } from './kafka-record';
import { allTopicSpecs, TopicSpec, TopicVisibility } from './topics';

export const ASYNCAPI_VERSION = '3.0.0';
const KAFKA_BINDING_VERSION = '0.5.0';
const HEADERS_SCHEMA_NAME = 'CloudEventsKafkaHeaders';

export interface AsyncApiRef {
  $ref: string;
}

export interface AsyncApiChannel {
  address: string;
  description: string;
  messages: Record<string, AsyncApiRef>;
  'x-keel-visibility': TopicVisibility;
  bindings: {
    kafka: {
      topic: string;
      partitions: number;
      topicConfiguration: { 'cleanup.policy': string[]; 'retention.ms'?: number };
      bindingVersion: string;
    };
  };
}

export interface AsyncApiMessage {
  name: string;
  title: string;
  summary: string;
  contentType: string;
  headers: AsyncApiRef;
  payload: AsyncApiRef;
  bindings: { kafka: { key: JsonSchema; bindingVersion: string } };
  'x-keel-topic': string;
  'x-keel-subject': string;
  'x-keel-visibility': TopicVisibility;
}

export interface AsyncApiOperation {
  action: 'send';
  channel: AsyncApiRef;
  summary: string;
  messages: AsyncApiRef[];
}

export interface AsyncApiDocument {
  asyncapi: string;
  info: { title: string; version: string; description: string };
  defaultContentType: string;
  channels: Record<string, AsyncApiChannel>;
  operations: Record<string, AsyncApiOperation>;
  components: { messages: Record<string, AsyncApiMessage>; schemas: Record<string, JsonSchema> };
}

const HEADERS_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'CloudEvents 1.0 attributes in Kafka binary mode; the record value is the payload.',
  properties: {
    [CLOUDEVENTS_HEADERS.id]: { type: 'string', format: 'uuid' },
    [CLOUDEVENTS_HEADERS.type]: { type: 'string', description: 'The versioned event type name.' },
    [CLOUDEVENTS_HEADERS.source]: {
      type: 'string',
      description: 'The producing service, e.g. /keel/payment.',
    },
    [CLOUDEVENTS_HEADERS.specversion]: { type: 'string', const: CLOUDEVENTS_SPEC_VERSION },
    [CLOUDEVENTS_HEADERS.time]: { type: 'string', format: 'date-time' },
    [CLOUDEVENTS_HEADERS.subject]: {
      type: 'string',
      description: 'The aggregate id; equals the record key.',
    },
    [CLOUDEVENTS_HEADERS.contentType]: { type: 'string', const: JSON_CONTENT_TYPE },
    [CLOUDEVENTS_HEADERS.traceparent]: { type: 'string', description: 'W3C trace context, when traced.' },
  },
  required: [
    CLOUDEVENTS_HEADERS.id,
    CLOUDEVENTS_HEADERS.type,
    CLOUDEVENTS_HEADERS.source,
    CLOUDEVENTS_HEADERS.specversion,
    CLOUDEVENTS_HEADERS.time,
    CLOUDEVENTS_HEADERS.subject,
    CLOUDEVENTS_HEADERS.contentType,
  ],
};

function assertPublishable(definition: EventTypeDefinition, topics: readonly TopicSpec[]): void {
  const topic = topics.find((spec) => spec.name === definition.topic);
  if (topic === undefined) {
    throw new ContractError(
      ContractErrorCode.UnknownTopic,
      `Event type '${definition.type}' names topic '${definition.topic}', which is not in the catalog`,
    );
  }
  if (topic.visibility !== definition.visibility) {
    // Kafka grants access per topic, so every event on a topic is exactly as visible as the topic.
    throw new ContractError(
      ContractErrorCode.InvalidEventTypeDefinition,
      `Event type '${definition.type}' is ${definition.visibility} but topic '${topic.name}' is ${topic.visibility}`,
    );
  }
}

function schemasOf(definitions: readonly EventTypeDefinition[]): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = { [HEADERS_SCHEMA_NAME]: HEADERS_SCHEMA };
  for (const payloadClass of reachablePayloadClasses(definitions.map((definition) => definition.payload))) {
    if (schemas[payloadClass.name] !== undefined) {
      throw new ContractError(
        ContractErrorCode.UnsupportedSchema,
        `Two schemas are named '${payloadClass.name}'; payload class names must be unique`,
      );
    }
    schemas[payloadClass.name] = schemaOfPayloadClass(payloadClass);
  }
  return schemas;
}

function messageOf(definition: EventTypeDefinition): AsyncApiMessage {
  return {
    name: definition.type,
    title: definition.type,
    summary: definition.description,
    contentType: JSON_CONTENT_TYPE,
    headers: { $ref: SCHEMA_REF_PREFIX + HEADERS_SCHEMA_NAME },
    payload: { $ref: schemaRefOf(definition.payload) },
    bindings: {
      kafka: {
        key: { type: 'string', description: `The payload field ${definition.subject}.` },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    'x-keel-topic': definition.topic,
    'x-keel-subject': definition.subject,
    'x-keel-visibility': definition.visibility,
  };
}

function channelOf(topic: TopicSpec, definitions: readonly EventTypeDefinition[]): AsyncApiChannel {
  const messages = definitions
    .filter((definition) => definition.topic === topic.name)
    .map((definition): [string, AsyncApiRef] => [
      definition.type,
      { $ref: `#/components/messages/${definition.type}` },
    ]);
  const retention = topic.retentionMs === undefined ? {} : { 'retention.ms': topic.retentionMs };
  return {
    address: topic.name,
    description: topic.description,
    messages: Object.fromEntries(messages),
    'x-keel-visibility': topic.visibility,
    bindings: {
      kafka: {
        topic: topic.name,
        partitions: topic.partitions,
        topicConfiguration: { 'cleanup.policy': [topic.cleanupPolicy], ...retention },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

function operationsOf(channels: Record<string, AsyncApiChannel>): Record<string, AsyncApiOperation> {
  const operations = Object.entries(channels)
    .filter(([, channel]) => Object.keys(channel.messages).length > 0)
    .map(([channelId, channel]): [string, AsyncApiOperation] => [
      `send.${channelId}`,
      {
        action: 'send',
        channel: { $ref: `#/channels/${channelId}` },
        summary: `Keel publishes to ${channel.address}.`,
        messages: Object.keys(channel.messages).map((type) => ({
          $ref: `#/channels/${channelId}/messages/${type}`,
        })),
      },
    ]);
  return Object.fromEntries(operations);
}

/** The AsyncAPI 3.0 document of every topic and event type; internal ones are marked as such. */
export function buildAsyncApiDocument(
  registry: EventTypeRegistry = eventTypes,
  topics: readonly TopicSpec[] = allTopicSpecs(),
): AsyncApiDocument {
  const definitions = registry.all();
  definitions.forEach((definition) => assertPublishable(definition, topics));
  const channels = Object.fromEntries(topics.map((topic) => [topic.name, channelOf(topic, definitions)]));
  return {
    asyncapi: ASYNCAPI_VERSION,
    info: {
      title: 'Keel events',
      version: '1.0.0',
      description:
        'Events of the Keel payment platform. Each type name carries its own version; channels and ' +
        'messages marked x-keel-visibility: internal are not for consumers outside Keel.',
    },
    defaultContentType: JSON_CONTENT_TYPE,
    channels,
    operations: operationsOf(channels),
    components: {
      messages: Object.fromEntries(definitions.map((definition) => [definition.type, messageOf(definition)])),
      schemas: schemasOf(definitions),
    },
  };
}
