import type { EntityManager } from 'typeorm';
import { toKafkaRecord, type EventEnvelope, type EventTypeRegistry } from '@keel/contracts';
import { currentTraceparent } from '@keel/observability';
import { namespacedTopic } from '../kafka/kafka-settings';
import { appendToOutbox, outboxAppendParameters, type OutboxMessage } from './outbox-message';

/** The outbox row for an envelope: the topic comes from the event type's registration. */
export function outboxMessageOf(
  envelope: EventEnvelope,
  registry: EventTypeRegistry,
  topicNamespace = '',
): OutboxMessage {
  return {
    eventId: envelope.id,
    type: envelope.type,
    record: {
      topic: namespacedTopic(topicNamespace, registry.get(envelope.type).topic),
      ...toKafkaRecord(envelope),
    },
  };
}

/**
 * Publishes envelopes through the outbox, in the caller's transaction. An envelope without trace
 * context gets the current one, so an HTTP request's trace continues into the events it causes.
 */
export class OutboxPublisher {
  constructor(
    private readonly registry: EventTypeRegistry,
    private readonly topicNamespace = '',
  ) {}

  publish(manager: EntityManager, envelopes: readonly EventEnvelope[]): Promise<void> {
    return appendToOutbox(manager, this.messagesOf(envelopes));
  }

  /**
   * The parameters of outboxAppendCte (from this library) for `envelopes`: for a caller that
   * appends them within its own write statement, in the transaction of `manager`.
   */
  parametersFor(manager: EntityManager, envelopes: readonly EventEnvelope[]): unknown[] {
    return outboxAppendParameters(manager, this.messagesOf(envelopes));
  }

  private messagesOf(envelopes: readonly EventEnvelope[]): OutboxMessage[] {
    const traceparent = currentTraceparent();
    return envelopes.map((envelope) =>
      outboxMessageOf(
        envelope.traceparent === undefined && traceparent !== undefined
          ? { ...envelope, traceparent }
          : envelope,
        this.registry,
        this.topicNamespace,
      ),
    );
  }
}
