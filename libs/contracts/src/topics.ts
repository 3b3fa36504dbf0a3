import { ContractError, ContractErrorCode } from './contract.error';

export type TopicVisibility = 'public' | 'internal';
export type TopicCleanupPolicy = 'delete' | 'compact';

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly visibility: TopicVisibility;
  readonly description: string;
  readonly retentionMs?: number;
  readonly cleanupPolicy: TopicCleanupPolicy;
}

/** Partition counts by topic name (main topics and DLQs alike); anything not listed keeps its default. */
export type TopicPartitionOverrides = Readonly<Partial<Record<string, number>>>;

export const TOPICS = {
  payment: 'keel.payment.v1',
  paymentOrder: 'keel.payment-order.v1',
  wallet: 'keel.wallet.v1',
  ledger: 'keel.ledger.v1',
  psp: 'keel.psp.v1',
  reconciliation: 'keel.reconciliation.v1',
  ops: 'keel.ops.v1',
} as const;

export type KeelTopicName = (typeof TOPICS)[keyof typeof TOPICS];

export const DEFAULT_TOPIC_PARTITIONS = 6;
export const TOPIC_PARTITIONS_MAX = 1024;
export const DEFAULT_TOPIC_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/** Dead letters wait for a person, so they are kept twice as long as the events themselves. */
export const DEFAULT_DLQ_RETENTION_MS = 14 * 24 * 60 * 60 * 1000;
/**
 * Dead-letter traffic is rare, so one partition costs no throughput, and it keeps every rejected
 * record in the order it was rejected, which is the order a replay must follow.
 */
export const DEFAULT_DLQ_PARTITIONS = 1;

const DLQ_SUFFIX = '.dlq';

function topicSpec(name: KeelTopicName, visibility: TopicVisibility, description: string): TopicSpec {
  return {
    name,
    partitions: DEFAULT_TOPIC_PARTITIONS,
    visibility,
    description,
    retentionMs: DEFAULT_TOPIC_RETENTION_MS,
    cleanupPolicy: 'delete',
  };
}

export const TOPIC_SPECS: readonly TopicSpec[] = [
  topicSpec(TOPICS.payment, 'public', 'Payment lifecycle (requested, completed, failed). Key: payment id.'),
  topicSpec(
    TOPICS.paymentOrder,
    'internal',
    'Executor commands and outcomes per payment order. Key: payment order id.',
  ),
  topicSpec(TOPICS.wallet, 'public', 'Seller wallet credits. Key: seller id.'),
  topicSpec(
    TOPICS.ledger,
    'internal',
    'Ledger transactions recorded. Key: the payment order id the transaction belongs to.',
  ),
  topicSpec(
    TOPICS.psp,
    'internal',
    'PSP health: circuit breaker state changes, method availability, and one event per charge attempt. Key: PSP id (method type for availability).',
  ),
  topicSpec(
    TOPICS.reconciliation,
    'internal',
    'Reconciliation runs completed and discrepancies opened or resolved. Key: the run id or the discrepancy id.',
  ),
  topicSpec(
    TOPICS.ops,
    'internal',
    'Payment methods switched off for buyers or on again by ops. Key: method type.',
  ),
];

export function dlqTopicOf(topicName: string): string {
  return topicName + DLQ_SUFFIX;
}

export function isDlqTopic(topicName: string): boolean {
  return topicName.endsWith(DLQ_SUFFIX);
}

function dlqSpecOf(topic: TopicSpec): TopicSpec {
  return {
    name: dlqTopicOf(topic.name),
    partitions: DEFAULT_DLQ_PARTITIONS,
    visibility: 'internal',
    description: `Records from ${topic.name} that no consumer could accept, with the rejection reason.`,
    retentionMs: DEFAULT_DLQ_RETENTION_MS,
    cleanupPolicy: 'delete',
  };
}

function assertValidOverrides(overrides: TopicPartitionOverrides, knownNames: ReadonlySet<string>): void {
  for (const [name, partitions] of Object.entries(overrides)) {
    if (!knownNames.has(name)) {
      throw new ContractError(ContractErrorCode.InvalidTopicOverride, `No topic named '${name}' to override`);
    }
    if (
      partitions === undefined ||
      !Number.isInteger(partitions) ||
      partitions < 1 ||
      partitions > TOPIC_PARTITIONS_MAX
    ) {
      throw new ContractError(
        ContractErrorCode.InvalidTopicOverride,
        `Partitions for '${name}' must be an integer from 1 to ${TOPIC_PARTITIONS_MAX}, got ${partitions}`,
      );
    }
  }
}

/**
 * Every topic Keel uses, each followed by its DLQ. The caller supplies partition overrides (from its
 * own validated config); an unknown topic name in the overrides is an error, so a typo cannot pass
 * silently.
 */
export function allTopicSpecs(overrides: TopicPartitionOverrides = {}): TopicSpec[] {
  const specs = TOPIC_SPECS.flatMap((topic) => [topic, dlqSpecOf(topic)]);
  assertValidOverrides(overrides, new Set(specs.map((spec) => spec.name)));
  return specs.map((spec) => ({ ...spec, partitions: overrides[spec.name] ?? spec.partitions }));
}

export function topicSpecOf(topicName: string, topics: readonly TopicSpec[] = TOPIC_SPECS): TopicSpec {
  const spec = topics.find((topic) => topic.name === topicName);
  if (spec === undefined) {
    throw new ContractError(ContractErrorCode.UnknownTopic, `No topic named '${topicName}'`);
  }
  return spec;
}
