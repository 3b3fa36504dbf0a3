import type { Producer } from 'kafkajs';
import type { MessagingLogger } from '../messaging-logger';
import type { RecordProducer } from './kafka-client';
import type { OutgoingRecord } from './kafka-records';

/**
 * Answers after which an idempotent producer's sequence numbers no longer match what the broker
 * holds — a broker killed before its producer state reached disk comes back without the last
 * batches. The Java client then starts again with a new producer id; kafkajs keeps the old one, so
 * every later send fails the same way and the outbox relay stalls for good.
 */
const LOST_PRODUCER_STATE = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
]);

function lostProducerState(error: unknown): boolean {
  for (let cause = error; typeof cause === 'object' && cause !== null;) {
    const { type } = cause as { type?: unknown };
    if (typeof type === 'string' && LOST_PRODUCER_STATE.has(type)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Sends records with kafkajs' idempotent producer; when the broker no longer knows the producer's
 * sequence, the failed send is thrown as usual and the next one goes through a new producer (a new
 * producer id). What the old one may have written already is a duplicate the consumers' inboxes
 * drop.
 */
export class KafkajsRecordProducer implements RecordProducer {
  private producer: Producer;
  /** Set when the producer was replaced: the new one connects before its first send. */
  private connected = true;

  constructor(
    private readonly newProducer: () => Producer,
    private readonly logger: MessagingLogger,
  ) {
    this.producer = newProducer();
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async send(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (!this.connected) {
      await this.producer.connect();
      this.connected = true;
    }
    const byTopic = new Map<string, { key: string; value: Buffer; headers: Record<string, string> }[]>();
    for (const record of records) {
      const messages = byTopic.get(record.topic) ?? [];
      messages.push({ key: record.key, value: record.value, headers: record.headers });
      byTopic.set(record.topic, messages);
    }
    try {
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (error) {
      if (lostProducerState(error)) await this.replaceProducer(error);
      throw error;
    }
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  private async replaceProducer(error: unknown): Promise<void> {
    this.logger.warn(
      { error: error instanceof Error ? error.message : String(error) },
      "the broker lost this producer's sequence; the next send starts a new producer",
    );
    const old = this.producer;
    this.producer = this.newProducer();
    this.connected = false;
    await old.disconnect().catch(() => undefined);
  }
}
