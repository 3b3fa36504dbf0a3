import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type INestApplication,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { eventTypes, type EventTypeRegistry } from '@keel/contracts';
import { HealthRegistry, OBSERVABILITY_LOGGER, Registry, type Logger } from '@keel/observability';
import type { KafkaClient, RecordProducer, TopicAdmin } from '../kafka/kafka-client';
import type { OutgoingRecord } from '../kafka/kafka-records';
import { createKafkaClient } from '../kafka/kafka-client-factory';
import { OnDemandProducer } from '../kafka/on-demand-producer';
import { DEFAULT_KAFKA_TIMEOUTS, namespacedTopic, type KafkaSettings } from '../kafka/kafka-settings';
import { ConsumerCatchUp } from '../inbox/consumer-catch-up';
import { InboxConsumer } from '../inbox/inbox-consumer';
import { DEFAULT_INBOX_SETTINGS, type InboxSettings } from '../inbox/inbox-settings';
import { DEFAULT_OUTBOX_RELAY_SETTINGS, OutboxRelay, type OutboxRelaySettings } from '../outbox/outbox-relay';
import { OutboxPublisher } from '../outbox/outbox-publisher';
import { onOutboxCommitted } from '../outbox/outbox-commit-signal';
import { KafkaInboxServer, RethrowToInboxFilter } from './kafka-inbox.server';

export interface MessagingModuleOptions {
  /** The service name: Kafka client id `keel-<service>`, consumer group `keel-<service>`. */
  service: string;
  kafka: Pick<KafkaSettings, 'brokers'> & Partial<KafkaSettings>;
  /** Present when the service consumes events; handlers are its `@EventPattern` methods. */
  consumer?: Pick<InboxSettings, 'topics'> & Partial<InboxSettings>;
  relay?: Partial<OutboxRelaySettings>;
  registry?: EventTypeRegistry;
  /** Prefix of every topic name (see namespacedTopic); empty for the catalog names. */
  topicNamespace?: string;
  /** Milliseconds the readiness check waits for a Kafka metadata answer. */
  readinessTimeoutMs?: number;
}

export interface MessagingModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[];
  useFactory: (...args: never[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
}

export const MESSAGING_OPTIONS = Symbol('keel.messaging.options');
export const KAFKA_CLIENT = Symbol('keel.messaging.kafka-client');
export const EVENT_TYPE_REGISTRY = Symbol('keel.messaging.event-type-registry');

/**
 * The producer of a service: connected on first use (a service starts while its broker is away),
 * warmed up at start, disconnected after everything that uses it.
 */
@Injectable()
export class KafkaProducer implements RecordProducer, OnModuleInit, OnApplicationShutdown {
  private readonly producer: OnDemandProducer;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: KafkaClient,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {
    this.producer = new OnDemandProducer(kafka.producer());
  }

  onModuleInit(): void {
    this.producer.connect().catch((error: unknown) => {
      this.logger.warn(
        { err: error },
        'kafka producer could not connect at start; it connects on first send',
      );
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  send(records: readonly OutgoingRecord[]): Promise<void> {
    return this.producer.send(records);
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  onApplicationShutdown(): Promise<void> {
    return this.producer.disconnect();
  }
}

/**
 * Runs the outbox relay for the life of the application and registers Kafka readiness. At shutdown
 * the relay is flushed once every module's onModuleDestroy has run (Nest calls
 * beforeApplicationShutdown after all of them), so rows that the service's own workers commit while
 * stopping are published too; the producer and the database close after it (onApplicationShutdown).
 */
@Injectable()
export class MessagingLifecycle
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly relay: OutboxRelay;
  private readonly admin: TopicAdmin;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @Inject(KAFKA_CLIENT) kafka: KafkaClient,
    producer: KafkaProducer,
    dataSource: DataSource,
    @Inject(OBSERVABILITY_LOGGER) logger: Logger,
    metrics: Registry,
    private readonly health: HealthRegistry,
  ) {
    this.admin = kafka.admin();
    this.relay = new OutboxRelay(dataSource, producer, logger, metrics, {
      ...DEFAULT_OUTBOX_RELAY_SETTINGS,
      ...options.relay,
    });
    onOutboxCommitted(dataSource, () => this.relay.wake());
  }

  onModuleInit(): void {
    const timeoutMs = this.options.readinessTimeoutMs ?? 1_500;
    // Reported, not gating: with the broker away, the outbox keeps what a service writes and its
    // consumers resume where they stopped, so a payment is still accepted; an unready payment API
    // behind a balancer would refuse every checkout for a broker restart.
    this.health.register('kafka', () => this.admin.waitUntilReady(timeoutMs), {
      timeoutMs: timeoutMs + 500,
      gatesReadiness: false,
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  /** Publishes the rows committed so far and stops the relay; a second call returns at once. */
  flushRelay(): Promise<void> {
    return this.relay.flush();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.flushRelay();
  }

  onApplicationShutdown(): Promise<void> {
    return this.admin.disconnect();
  }
}

function kafkaSettingsOf(options: MessagingModuleOptions): KafkaSettings {
  return { clientId: `keel-${options.service}`, ...DEFAULT_KAFKA_TIMEOUTS, ...options.kafka };
}

/**
 * The service's consumer group, unless its consumer names another. Consumer groups are
 * cluster-wide: a namespace gets groups of its own, or installations sharing a cluster would
 * rebalance each other's consumers.
 */
function consumerGroupOf(options: MessagingModuleOptions): string {
  return (
    options.consumer?.consumerName ?? namespacedTopic(options.topicNamespace ?? '', `keel-${options.service}`)
  );
}

const providers: Provider[] = [
  {
    provide: KAFKA_CLIENT,
    inject: [MESSAGING_OPTIONS, OBSERVABILITY_LOGGER],
    useFactory: (options: MessagingModuleOptions, logger: Logger) =>
      createKafkaClient(kafkaSettingsOf(options), logger),
  },
  {
    provide: EVENT_TYPE_REGISTRY,
    inject: [MESSAGING_OPTIONS],
    useFactory: (options: MessagingModuleOptions) => options.registry ?? eventTypes,
  },
  {
    provide: OutboxPublisher,
    inject: [EVENT_TYPE_REGISTRY, MESSAGING_OPTIONS],
    useFactory: (registry: EventTypeRegistry, options: MessagingModuleOptions) =>
      new OutboxPublisher(registry, options.topicNamespace),
  },
  KafkaProducer,
  MessagingLifecycle,
  {
    // The service's own consumer group on its own topics (none when it consumes nothing).
    provide: ConsumerCatchUp,
    inject: [MESSAGING_OPTIONS, KAFKA_CLIENT],
    useFactory: (options: MessagingModuleOptions, kafka: KafkaClient) =>
      new ConsumerCatchUp(
        kafka.admin(),
        consumerGroupOf(options),
        (options.consumer?.topics ?? []).map((topic) => namespacedTopic(options.topicNamespace ?? '', topic)),
      ),
  },
  {
    provide: KafkaInboxServer,
    inject: [
      MESSAGING_OPTIONS,
      KAFKA_CLIENT,
      KafkaProducer,
      DataSource,
      EVENT_TYPE_REGISTRY,
      OBSERVABILITY_LOGGER,
      Registry,
    ],
    useFactory: (
      options: MessagingModuleOptions,
      kafka: KafkaClient,
      producer: KafkaProducer,
      dataSource: DataSource,
      registry: EventTypeRegistry,
      logger: Logger,
      metricsRegistry: Registry,
    ) =>
      new KafkaInboxServer(
        (handlerFor) =>
          new InboxConsumer(
            { dataSource, kafka, producer, registry, handlerFor, logger, metricsRegistry },
            {
              ...DEFAULT_INBOX_SETTINGS,
              consumerName: consumerGroupOf(options),
              ...options.consumer,
              topics: (options.consumer?.topics ?? []).map((topic) =>
                namespacedTopic(options.topicNamespace ?? '', topic),
              ),
            },
          ),
      ),
  },
];

@Global()
@Module({})
export class MessagingModule {
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: options.imports ?? [],
      providers: [
        { provide: MESSAGING_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        ...providers,
      ],
      exports: [
        OutboxPublisher,
        KafkaProducer,
        KafkaInboxServer,
        ConsumerCatchUp,
        KAFKA_CLIENT,
        EVENT_TYPE_REGISTRY,
      ],
    };
  }
}

/**
 * Connects the inbox consumer as the app's microservice transport and starts it. Call it after
 * `app.init()`, so the producer and the relay are up before the first event is handled.
 */
export async function startInboxConsumer(app: INestApplication): Promise<void> {
  const options = app.get<MessagingModuleOptions>(MESSAGING_OPTIONS);
  if (options.consumer === undefined) return;
  // Deferred, so the filter is in place before Nest wraps the handlers; the app ran the hooks.
  const microservice = app.connectMicroservice(
    { strategy: app.get(KafkaInboxServer) },
    { deferInitialization: true },
  );
  microservice.useGlobalFilters(new RethrowToInboxFilter());
  (microservice as unknown as { setIsInitHookCalled(called: boolean): void }).setIsInitHookCalled(true);
  await app.startAllMicroservices();
}

/**
 * Graceful shutdown: stops fetching, lets the chunk in flight finish and commit (its transaction and
 * then its offsets), and leaves the consumer group, so its partitions move to another member at once.
 */
export async function stopInboxConsumer(app: INestApplication): Promise<void> {
  await app.get(KafkaInboxServer).close();
}

/** Graceful shutdown: publishes every outbox row committed so far, then stops the relay. */
export function flushOutboxRelay(app: INestApplication): Promise<void> {
  return app.get(MessagingLifecycle).flushRelay();
}
