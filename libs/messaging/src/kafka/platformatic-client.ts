import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Producer } from '@platformatic/kafka';
import type { MessagingLogger } from '../messaging-logger';
import {
  lagOf,
  type KafkaClient,
  type PartitionPosition,
  type RecordProducer,
  type TopicAdmin,
  type TopicDefinition,
} from './kafka-client';
import type { OutgoingRecord } from './kafka-records';
import type { KafkaSettings } from './kafka-settings';
import { PlatformaticRecordConsumer } from './platformatic-consumer';
import { loadPlatformaticKafka, type PlatformaticKafka } from './platformatic-module';
import { waitForBrokerAnswer } from './broker-readiness';

/** Retries of one request before it fails to the caller (the relay or the consumer backs off). */
const REQUEST_RETRIES = 5;
const REQUEST_RETRY_DELAY_MS = 250;

/** Options every @platformatic/kafka client of one KafkaClient shares. */
export interface PlatformaticBaseOptions {
  clientId: string;
  bootstrapBrokers: string[];
  connectTimeout: number;
  timeout: number;
  retries: number;
  retryDelay: number;
}

export function createPlatformaticClient(settings: KafkaSettings, logger: MessagingLogger): KafkaClient {
  const kafka = loadPlatformaticKafka();
  const base: PlatformaticBaseOptions = {
    clientId: settings.clientId,
    bootstrapBrokers: settings.brokers,
    connectTimeout: settings.connectionTimeoutMs,
    timeout: settings.requestTimeoutMs,
    retries: REQUEST_RETRIES,
    retryDelay: REQUEST_RETRY_DELAY_MS,
  };
  return {
    admin: () => new PlatformaticTopicAdmin(kafka, base),
    producer: () => new PlatformaticRecordProducer(kafka, base),
    consumer: (consumerSettings) => new PlatformaticRecordConsumer(kafka, base, consumerSettings, logger),
  };
}

/** The admin client connects lazily: a fresh one per connect(), so disconnect() can really close it. */
class PlatformaticTopicAdmin implements TopicAdmin {
  private admin: Admin | undefined;

  constructor(
    private readonly kafka: PlatformaticKafka,
    private readonly base: PlatformaticBaseOptions,
  ) {}

  private client(): Admin {
    this.admin ??= new this.kafka.Admin(this.base);
    return this.admin;
  }

  connect(): Promise<void> {
    this.client();
    return Promise.resolve();
  }

  async disconnect(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    if (admin !== undefined) await admin.close();
  }

  async waitUntilReady(timeoutMs: number): Promise<void> {
    await waitForBrokerAnswer(async () => {
      const metadata = await this.client().metadata({ topics: [], forceUpdate: true });
      return metadata.brokers.size > 0 && metadata.controllerId >= 0;
    }, timeoutMs);
  }

  async ensureTopics(topics: readonly TopicDefinition[]): Promise<string[]> {
    const existing = new Set(await this.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.name));
    // One request per topic: partitions and configs are per request in this client's API.
    for (const topic of missing) {
      await this.client().createTopics({
        topics: [topic.name],
        partitions: topic.partitions,
        replicas: -1,
        configs: [
          { name: 'cleanup.policy', value: topic.cleanupPolicy ?? 'delete' },
          ...(topic.retentionMs === undefined
            ? []
            : [{ name: 'retention.ms', value: String(topic.retentionMs) }]),
        ],
      });
    }
    if (missing.length > 0) await this.waitForLeaders(missing.map((topic) => topic.name));
    return missing.map((topic) => topic.name);
  }

  /** Like kafkajs' waitForLeaders: a producer right after creation must find every partition led. */
  private async waitForLeaders(names: string[]): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      try {
        const metadata = await this.client().metadata({ topics: names, forceUpdate: true });
        const led = names.every((name) => {
          const topic = metadata.topics.get(name);
          return topic !== undefined && topic.partitions.every((partition) => partition.leader >= 0);
        });
        if (led) return;
      } catch {
        // The metadata of a topic just created can be missing for a moment; ask again.
      }
      await sleep(100);
    }
    throw new Error(`topics ${names.join(', ')} have no leader after creation`);
  }

  listTopics(): Promise<string[]> {
    return this.client().listTopics();
  }

  async deleteTopics(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.client().deleteTopics({ topics: [...names] });
  }

  async consumerGroupLag(groupId: string, topic: string): Promise<bigint> {
    return lagOf(await this.partitionPositions(groupId, topic));
  }

  async partitionPositions(groupId: string, topic: string): Promise<PartitionPosition[]> {
    const admin = this.client();
    const metadata = await admin.metadata({ topics: [topic] });
    const partitionCount = metadata.topics.get(topic)?.partitionsCount ?? 0;
    const partitions = Array.from({ length: partitionCount }, (_, partitionIndex) => partitionIndex);
    const offsetsAt = (timestamp: bigint) =>
      admin.listOffsets({
        topics: [
          { name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) },
        ],
      });
    const [latest, earliest, [group]] = await Promise.all([
      offsetsAt(this.kafka.ListOffsetTimestamps.LATEST),
      offsetsAt(this.kafka.ListOffsetTimestamps.EARLIEST),
      admin.listConsumerGroupOffsets({
        groups: [{ groupId, topics: [{ name: topic, partitionIndexes: partitions }] }],
      }),
    ]);
    const offsetByPartition = (listed: typeof latest) =>
      new Map(listed.flatMap((entry) => entry.partitions.map((p) => [p.partitionIndex, p.offset] as const)));
    const high = offsetByPartition(latest);
    const low = offsetByPartition(earliest);
    const committed = new Map(
      group?.topics.flatMap((entry) =>
        entry.partitions.map((p) => [p.partitionIndex, p.committedOffset] as const),
      ) ?? [],
    );
    return partitions.map((partition) => {
      const position = committed.get(partition) ?? -1n;
      const first = low.get(partition) ?? 0n;
      // -1 means the group has committed nothing: it will start from the earliest offset.
      return {
        partition,
        low: first,
        high: high.get(partition) ?? 0n,
        next: position < 0n ? first : position,
      };
    });
  }
}

class PlatformaticRecordProducer implements RecordProducer {
  private producer: Producer | undefined;

  constructor(
    private readonly kafka: PlatformaticKafka,
    private readonly base: PlatformaticBaseOptions,
  ) {}

  connect(): Promise<void> {
    this.producer ??= new this.kafka.Producer({
      ...this.base,
      // Idempotent: one request in flight per connection and sequence numbers, so a retry neither
      // duplicates nor reorders a record within its partition.
      idempotent: true,
      acks: this.kafka.ProduceAcks.ALL,
      autocreateTopics: false,
      // The Java client's murmur2 partitioning (kafkajs' DefaultPartitioner does the same).
      partitioner: this.kafka.compatibilityPartitioner,
    });
    return Promise.resolve();
  }

  async send(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (this.producer === undefined) throw new Error('the producer is not connected');
    await this.producer.send({
      messages: records.map((record) => ({
        topic: record.topic,
        key: Buffer.from(record.key),
        value: record.value,
        headers: new Map(
          Object.entries(record.headers).map(([name, value]) => [Buffer.from(name), Buffer.from(value)]),
        ),
      })),
    });
  }

  async disconnect(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    if (producer !== undefined) await producer.close();
  }
}
