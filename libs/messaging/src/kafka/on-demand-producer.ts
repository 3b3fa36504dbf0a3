import type { OutgoingRecord } from './kafka-records';
import type { RecordProducer } from './kafka-client';

/**
 * A producer that connects when it is first asked to send, and again after a failed connect. A
 * service must start while its broker is away: what it writes waits in its outbox, and the relay's
 * next attempt connects. Concurrent senders share one connect attempt.
 */
export class OnDemandProducer implements RecordProducer {
  private connection: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly producer: RecordProducer) {}

  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the producer was disconnected'));
    this.connection ??= this.producer.connect().catch((error: unknown) => {
      this.connection = undefined;
      throw error;
    });
    return this.connection;
  }

  async send(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.connect();
    await this.producer.send(records);
  }

  /** Waits for a connect under way, so that what it opens is closed too. */
  async disconnect(): Promise<void> {
    this.closed = true;
    await this.connection?.catch(() => undefined);
    this.connection = undefined;
    await this.producer.disconnect();
  }
}
