import { IsString } from 'class-validator';
import { buildAsyncApiDocument } from './asyncapi';
import { ContractErrorCode } from './contract.error';
import { defineEventType } from './event-type-definition';
import { EventTypeRegistry } from './event-type-registry';
import { eventTypes } from './event-types';
import { allTopicSpecs, TOPIC_SPECS, TOPICS } from './topics';

class ProbePayload {
  @IsString()
  probeId!: string;
}

function registryWith(topic: string, visibility: 'public' | 'internal'): EventTypeRegistry {
  return new EventTypeRegistry([
    defineEventType({
      type: 'keel.test.probed.v1',
      topic,
      payload: ProbePayload,
      subject: 'probeId',
      visibility,
      description: 'A probe.',
    }),
  ]);
}

describe('buildAsyncApiDocument', () => {
  const document = buildAsyncApiDocument();

  it('is an AsyncAPI 3.0 document', () => {
    expect(document.asyncapi).toBe('3.0.0');
    expect(document.defaultContentType).toBe('application/json');
  });

  it('has a channel for every topic and DLQ, marked with its visibility', () => {
    const specs = allTopicSpecs();
    expect(Object.keys(document.channels)).toEqual(specs.map((spec) => spec.name));
    for (const spec of specs) {
      expect(document.channels[spec.name]).toMatchObject({
        address: spec.name,
        'x-keel-visibility': spec.visibility,
        bindings: {
          kafka: { partitions: spec.partitions, topicConfiguration: { 'cleanup.policy': ['delete'] } },
        },
      });
    }
  });

  it('has a message for every event type, listed in its topic channel', () => {
    for (const definition of eventTypes.all()) {
      const message = document.components.messages[definition.type];
      expect(message).toMatchObject({
        name: definition.type,
        payload: { $ref: `#/components/schemas/${definition.payload.name}` },
        'x-keel-topic': definition.topic,
        'x-keel-subject': definition.subject,
        'x-keel-visibility': definition.visibility,
      });
      expect(document.channels[definition.topic].messages[definition.type]).toEqual({
        $ref: `#/components/messages/${definition.type}`,
      });
    }
  });

  it('resolves every schema reference inside the document', () => {
    const references = JSON.stringify(document).match(/"#\/components\/schemas\/[A-Za-z]+"/g) ?? [];
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) {
      const name = JSON.parse(reference).slice('#/components/schemas/'.length) as string;
      expect(document.components.schemas[name]).toBeDefined();
    }
  });

  it('declares one send operation per channel that carries events', () => {
    expect(Object.keys(document.operations)).toEqual(TOPIC_SPECS.map((topic) => `send.${topic.name}`));
    expect(document.operations[`send.${TOPICS.wallet}`].messages).toEqual([
      { $ref: '#/channels/keel.wallet.v1/messages/keel.wallet.credited.v1' },
    ]);
  });

  it('documents the CloudEvents headers', () => {
    expect(document.components.schemas.CloudEventsKafkaHeaders.required).toEqual([
      'ce_id',
      'ce_type',
      'ce_source',
      'ce_specversion',
      'ce_time',
      'ce_subject',
      'content-type',
    ]);
  });

  it('refuses an event type on a topic outside the catalog', () => {
    expect(() => buildAsyncApiDocument(registryWith('keel.unknown.v1', 'internal'))).toThrow(
      expect.objectContaining({ code: ContractErrorCode.UnknownTopic }),
    );
  });

  it('refuses an event type less visible than its topic', () => {
    expect(() => buildAsyncApiDocument(registryWith(TOPICS.payment, 'internal'))).toThrow(
      expect.objectContaining({ code: ContractErrorCode.InvalidEventTypeDefinition }),
    );
  });
});
