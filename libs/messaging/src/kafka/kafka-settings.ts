/**
 * The client libraries that implement KafkaClient, chosen by `KAFKA_CLIENT`. kafkajs is the default;
 * docs/adr/0004-kafka-client.md records why, and why @confluentinc/kafka-javascript is not here.
 */
export const KAFKA_CLIENT_KINDS = ['kafkajs', 'platformatic'] as const;
export type KafkaClientKind = (typeof KAFKA_CLIENT_KINDS)[number];
export const DEFAULT_KAFKA_CLIENT_KIND: KafkaClientKind = 'kafkajs';

export interface KafkaSettings {
  /** host:port pairs of the bootstrap brokers. */
  brokers: string[];
  clientId: string;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  /** The library behind KafkaClient; DEFAULT_KAFKA_CLIENT_KIND when absent. */
  client?: KafkaClientKind;
}

export function parseKafkaClientKind(value: string): KafkaClientKind {
  const kind = KAFKA_CLIENT_KINDS.find((candidate) => candidate === value);
  if (kind === undefined)
    throw new Error(`invalid Kafka client "${value}": expected one of ${KAFKA_CLIENT_KINDS.join(', ')}`);
  return kind;
}

/**
 * Whether a client joins consumer groups as a static member (KIP-345, `group.instance.id`).
 * @platformatic/kafka does; kafkajs has neither static membership nor the KIP-848 protocol.
 */
export function supportsStaticMembership(kind: KafkaClientKind): boolean {
  switch (kind) {
    case 'platformatic':
      return true;
    case 'kafkajs':
      return false;
  }
}

export interface GroupInstanceIdSources {
  client: KafkaClientKind;
  /** The instance's consumer group, before any topic namespace: `keel-<service>`. */
  groupName: string;
  /** `KAFKA_GROUP_INSTANCE_ID`: used as it is. */
  configured?: string;
  /** `KEEL_INSTANCE_ID`: the instance's stable identity (an index, a pod name). */
  instanceId?: string;
}

/**
 * The static member name of a service instance: the configured one, else `<group>-<instance id>`
 * when the instance has a stable id and the client supports static membership, else none (a
 * dynamic member). Instance ids only need to be unique within a group, so the namespace is left out.
 */
export function groupInstanceIdOf(sources: GroupInstanceIdSources): string | undefined {
  if (sources.configured !== undefined) return sources.configured;
  if (sources.instanceId === undefined || !supportsStaticMembership(sources.client)) return undefined;
  return `${sources.groupName}-${sources.instanceId}`;
}

export const DEFAULT_KAFKA_TIMEOUTS = { connectionTimeoutMs: 3_000, requestTimeoutMs: 30_000 } as const;

/** Parses a comma-separated broker list such as `KAFKA_BROKERS=127.0.0.1:19092,127.0.0.1:19094`. */
export function parseBrokerList(list: string): string[] {
  const brokers = list
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
  for (const broker of brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker))
      throw new Error(`invalid Kafka broker "${broker}": expected host:port`);
  }
  if (brokers.length === 0) throw new Error('the Kafka broker list is empty');
  return brokers;
}

/**
 * Topic names inside a namespace: `<namespace>.<name>`, or the catalog name when the namespace is
 * empty. Lets several Keel installations, or test runs, share one Kafka cluster.
 */
export function namespacedTopic(namespace: string, name: string): string {
  return namespace === '' ? name : `${namespace}.${name}`;
}
