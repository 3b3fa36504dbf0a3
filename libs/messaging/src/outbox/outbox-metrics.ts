import type { Counter, Gauge, Registry } from 'prom-client';
import { getOrCreateCounter, getOrCreateGauge } from '@keel/observability';

export class OutboxMetrics {
  readonly published: Counter;
  readonly errors: Counter;
  readonly backlogRows: Gauge;
  readonly oldestUnpublishedAgeSeconds: Gauge;

  constructor(registry: Registry) {
    this.published = getOrCreateCounter(registry, {
      name: 'keel_outbox_published_total',
      help: 'Outbox rows published to Kafka',
    });
    this.errors = getOrCreateCounter(registry, {
      name: 'keel_outbox_relay_errors_total',
      help: 'Failed outbox relay rounds',
    });
    this.backlogRows = getOrCreateGauge(registry, {
      name: 'keel_outbox_backlog_rows',
      help: 'Committed outbox rows not yet published',
    });
    this.oldestUnpublishedAgeSeconds = getOrCreateGauge(registry, {
      name: 'keel_outbox_lag_seconds',
      help: 'Age of the oldest unpublished outbox row',
    });
  }
}
