import type { EntityManager } from 'typeorm';
import { toKafkaRecord, type EventEnvelope, type EventTypeRegistry } from '@keel/contracts';
import { appendToOutbox, type OutboxMessage } from './outbox-message';

/** The outbox row for an envelope: the topic comes from the event type's registration. */
export function outboxMessageOf(envelope: EventEnvelope, registry: EventTypeRegistry): OutboxMessage {
  return {
    eventId: envelope.id,
    type: envelope.type,
    record: { topic: registry.get(envelope.type).topic, ...toKafkaRecord(envelope) },
  };
}

/** Publishes envelopes through the outbox, in the caller's transaction. */
export class OutboxPublisher {
  constructor(private readonly registry: EventTypeRegistry) {}

  publish(manager: EntityManager, envelopes: readonly EventEnvelope[]): Promise<void> {
    return appendToOutbox(
      manager,
      envelopes.map((envelope) => outboxMessageOf(envelope, this.registry)),
    );
  }
}
