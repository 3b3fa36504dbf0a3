import type { DynamicModule, INestApplication } from '@nestjs/common';
import { toKafkaRecord, type EventEnvelope } from '@keel/contracts';
import type { RecordProducer } from '@keel/messaging';
import { loadEnvironment, runService, type ServiceEnvironment } from '@keel/platform';
import { createTestDatabase, type TestDatabase } from './test-database';
import { createTestNamespace, type TestNamespace } from './test-namespace';
import { TopicReader } from './topic-reader';

export interface ServiceUnderTestOptions {
  /** Names the test database: `keel_t_<database>_<random>`. */
  readonly database: string;
  /**
   * The service's variables over the test defaults: a free port on 127.0.0.1, the test's database
   * and topic namespace, LOG_LEVEL warn, KEEL_PROFILE=local (secrets not given take their local
   * values). Undefined unsets one.
   */
  readonly variables?: NodeJS.ProcessEnv;
  /** Partitions of every test topic (createTestNamespace's default when absent); one keeps a send in order. */
  readonly partitions?: number;
}

/**
 * A service run in-process by its own main's path (`runService`) on a fresh database and topic
 * namespace, with a producer to play the services it listens to. `stop` closes every instance and
 * reader and leaves neither database nor topics behind.
 */
class ServiceUnderTest<T extends ServiceEnvironment> {
  readonly producer: RecordProducer;
  private readonly readers: TopicReader[] = [];
  /** The instance started first (or by the last restart) heads the list. */
  private readonly instances: INestApplication[] = [];
  private current: { environment: T; baseUrl: string } | undefined;

  constructor(
    private readonly moduleOf: (environment: T) => DynamicModule,
    private readonly shape: new () => T,
    readonly database: TestDatabase,
    readonly namespace: TestNamespace,
    private readonly variables: NodeJS.ProcessEnv,
  ) {
    this.producer = namespace.kafka.producer();
  }

  get app(): INestApplication {
    const [app] = this.instances;
    if (app === undefined) throw new Error('the service under test is not running');
    return app;
  }

  get baseUrl(): string {
    return this.running().baseUrl;
  }

  get environment(): T {
    return this.running().environment;
  }

  /** Connects the producer and starts the first instance. */
  async open(): Promise<void> {
    await this.producer.connect();
    await this.startFirst(this.variables);
  }

  /** Sends the envelopes to the namespaced catalog topic in one produce request, in this order. */
  async publish(topic: string, envelopes: readonly EventEnvelope[]): Promise<void> {
    const name = this.namespace.topic(topic);
    await this.producer.send(envelopes.map((envelope) => ({ topic: name, ...toKafkaRecord(envelope) })));
  }

  /** Reads a topic (its full name) from the beginning until `stop`. */
  async startReader(topic: string): Promise<TopicReader> {
    const reader = await TopicReader.start(this.namespace.kafka, topic);
    this.readers.push(reader);
    return reader;
  }

  /** One more instance on the same database and topics, in the same consumer group, as when scaled out. */
  async startAnotherInstance(): Promise<INestApplication> {
    const { environment } = this.running();
    const app = await runService(this.moduleOf(environment), environment);
    this.instances.push(app);
    return app;
  }

  /** Closes every instance, then starts one with `overrides` over the variables of the first start. */
  async restart(overrides: NodeJS.ProcessEnv = {}): Promise<void> {
    await this.closeInstances();
    await this.startFirst({ ...this.variables, ...overrides });
  }

  /** Closes every instance (their database connections end); the database and topics stay. */
  async closeInstances(): Promise<void> {
    this.current = undefined;
    for (const app of this.instances.splice(0)) await app.close();
  }

  async stop(): Promise<void> {
    for (const reader of this.readers.splice(0)) await reader.stop();
    await this.producer.disconnect();
    await this.closeInstances();
    await this.database.drop();
    await this.namespace.delete();
  }

  private async startFirst(variables: NodeJS.ProcessEnv): Promise<void> {
    const environment = loadEnvironment(this.shape, variables);
    const app = await runService(this.moduleOf(environment), environment);
    this.instances.unshift(app);
    this.current = { environment, baseUrl: await app.getUrl() };
  }

  private running(): { environment: T; baseUrl: string } {
    if (this.current === undefined) throw new Error('the service under test is not running');
    return this.current;
  }
}

export type { ServiceUnderTest };

/**
 * Starts a service for an integration test as its main.ts would (`moduleOf` and the environment's
 * class), on a fresh database and topic namespace; nothing is left behind if the start fails.
 */
export async function startServiceUnderTest<T extends ServiceEnvironment>(
  moduleOf: (environment: T) => DynamicModule,
  shape: new () => T,
  options: ServiceUnderTestOptions,
): Promise<ServiceUnderTest<T>> {
  const { database, namespace } = await createDatabaseAndNamespace(options);
  const variables = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    KAFKA_BROKERS: namespace.brokers.join(','),
    KAFKA_TOPIC_NAMESPACE: namespace.namespace,
    LOG_LEVEL: 'warn',
    KEEL_PROFILE: 'local',
    ...options.variables,
  };
  const service = new ServiceUnderTest(moduleOf, shape, database, namespace, variables);
  try {
    await service.open();
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}

/** Both at once; when one cannot be made, the other is removed again. */
async function createDatabaseAndNamespace(
  options: ServiceUnderTestOptions,
): Promise<{ database: TestDatabase; namespace: TestNamespace }> {
  const [database, namespace] = await Promise.allSettled([
    createTestDatabase(options.database),
    createTestNamespace(options.partitions),
  ]);
  if (database.status === 'fulfilled' && namespace.status === 'fulfilled') {
    return { database: database.value, namespace: namespace.value };
  }
  if (database.status === 'fulfilled') await database.value.drop();
  if (namespace.status === 'fulfilled') await namespace.value.delete();
  throw database.status === 'rejected' ? database.reason : (namespace as PromiseRejectedResult).reason;
}
