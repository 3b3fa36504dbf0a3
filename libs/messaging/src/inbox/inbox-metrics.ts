import type { Counter, Gauge, Registry } from 'prom-client';
import { getOrCreateCounter, getOrCreateGauge } from '@keel/observability';
import type { PartitionAssignment } from '../kafka/kafka-client';

export class InboxMetrics {
  readonly applied: Counter<'consumer' | 'topic'>;
  readonly duplicates: Counter<'consumer' | 'topic'>;
  readonly ignored: Counter<'consumer' | 'topic'>;
  readonly retries: Counter<'consumer' | 'kind'>;
  readonly deadLettered: Counter<'consumer' | 'topic' | 'reason'>;
  readonly lag: Gauge<'consumer' | 'topic' | 'partition'>;
  readonly assignedPartitions: Gauge<'topic'>;

  constructor(registry: Registry) {
    const byTopic = ['consumer', 'topic'] as const;
    this.applied = getOrCreateCounter(registry, {
      name: 'keel_inbox_applied_total',
      help: 'Events applied by a consumer',
      labelNames: byTopic,
    });
    this.duplicates = getOrCreateCounter(registry, {
      name: 'keel_inbox_duplicates_total',
      help: 'Redelivered events acknowledged without effect',
      labelNames: byTopic,
    });
    this.ignored = getOrCreateCounter(registry, {
      name: 'keel_inbox_ignored_total',
      help: 'Events of types this consumer does not handle',
      labelNames: byTopic,
    });
    this.retries = getOrCreateCounter(registry, {
      name: 'keel_inbox_retries_total',
      help: 'Retries by cause: database unavailable, or handler failure',
      labelNames: ['consumer', 'kind'],
    });
    this.deadLettered = getOrCreateCounter(registry, {
      name: 'keel_dlq_records_total',
      help: 'Records sent to a dead-letter topic',
      labelNames: ['consumer', 'topic', 'reason'],
    });
    this.lag = getOrCreateGauge(registry, {
      name: 'keel_consumer_lag_records',
      help: 'Records behind the end of the partition after the last processed chunk',
      labelNames: ['consumer', 'topic', 'partition'],
    });
    this.assignedPartitions = getOrCreateGauge(registry, {
      name: 'keel_consumer_assigned_partitions',
      help: 'Partitions of each subscribed topic currently assigned to this instance (0 while it rejoins)',
      labelNames: ['topic'],
    });
  }

  /** Every subscribed topic gets its count, 0 for one without partitions here, so none goes stale. */
  recordAssignment(topics: readonly string[], assignment: PartitionAssignment): void {
    for (const topic of topics) this.assignedPartitions.set({ topic }, assignment.get(topic)?.length ?? 0);
  }
}
