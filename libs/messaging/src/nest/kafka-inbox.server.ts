import { Catch, type ArgumentsHost, type OnModuleDestroy, type RpcExceptionFilter } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom, throwError, type Observable } from 'rxjs';
import type { ChunkHandler, HandlerLookup, InboxConsumer } from '../inbox/inbox-consumer';
import { InboxContext } from './inbox.context';

/**
 * A custom transport for `@nestjs/microservices`: handlers stay `@EventPattern('<event type>')`
 * methods, and each runs inside the inbox transaction of our own batch consumer. A handler is
 * called once per run of its events in a chunk: its payload is the list of their envelopes. A
 * method that names several types (`@EventPattern([typeA, typeB])`) gets consecutive events of
 * all of them in one call, so a chunk that mixes them is still applied at once, in offset order. Nest's built-in
 * Kafka server is not used on the money path: it handles one message at a time, has no database
 * transaction, and sticks on a poison message.
 */
export class KafkaInboxServer extends Server implements CustomTransportStrategy, OnModuleDestroy {
  private consumer: InboxConsumer | undefined;

  constructor(private readonly createConsumer: (handlerFor: HandlerLookup) => InboxConsumer) {
    super();
  }

  /**
   * Starts the consumer without waiting for it to join its group: a service comes up (serves HTTP,
   * writes its outbox) while the broker is away, and the consumer joins once the broker answers.
   */
  listen(callback: (error?: unknown) => void): void {
    try {
      this.consumer = this.createConsumer((eventType) => this.handlerFor(eventType));
    } catch (error) {
      callback(error);
      return;
    }
    void this.consumer.start();
    callback();
  }

  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.stop();
  }

  /** Nest closes microservices after onModuleDestroy; the consumer must stop before its dependencies. */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  on(): never {
    throw new Error('KafkaInboxServer emits no events to listen to');
  }

  unwrap<T>(): T {
    if (this.consumer === undefined) throw new Error('KafkaInboxServer is not listening');
    return this.consumer as T;
  }

  /** One adapter per decorated method, so that consecutive events of one method share a call. */
  private readonly adapters = new Map<object, ChunkHandler>();

  private handlerFor(eventType: string): ChunkHandler | undefined {
    const handler: MessageHandler | undefined = this.messageHandlers.get(eventType);
    if (handler === undefined) return undefined;
    // Nest wraps a method once per pattern it names, but every wrapper of one method carries the
    // same `extras` object from its decorator: that object stands for the method.
    const method: object = handler.extras ?? handler;
    let adapter = this.adapters.get(method);
    if (adapter === undefined) {
      adapter = async (events, transaction) => {
        const result: unknown = await handler(events, new InboxContext([events, transaction]));
        if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      };
      this.adapters.set(method, adapter);
    }
    return adapter;
  }
}

/**
 * Nest turns a handler's exception into a generic RPC error; the inbox needs the original to tell
 * a database outage (retry) from a PermanentEventError (dead-letter). This filter passes it on.
 */
@Catch()
export class RethrowToInboxFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
