import { Counter, Gauge, Histogram } from 'prom-client';
import { createMetricsRegistry, getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram } from './metrics';
import { ObservabilityError, ObservabilityErrorCode } from './observability.error';

describe('createMetricsRegistry', () => {
  it('labels every series with the service and collects default metrics', async () => {
    const registry = createMetricsRegistry({ service: 'ledger' });
    getOrCreateCounter(registry, { name: 'keel_test_total', help: 'test' }).inc();
    const text = await registry.metrics();
    expect(text).toContain('keel_test_total{service="ledger"} 1');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('can leave default metrics out', async () => {
    const registry = createMetricsRegistry({ service: 'ledger', defaultMetrics: false });
    expect(await registry.metrics()).not.toContain('process_cpu_user_seconds_total');
  });
});

describe('get-or-create', () => {
  it('returns the metric already registered under a name instead of throwing', () => {
    const registry = createMetricsRegistry({ service: 'messaging', defaultMetrics: false });
    const options = {
      name: 'keel_outbox_backlog',
      help: 'Unpublished outbox rows',
      labelNames: ['topic'] as const,
    };
    const first = getOrCreateGauge(registry, options);
    const second = getOrCreateGauge(registry, options);
    expect(second).toBe(first);
    expect(first).toBeInstanceOf(Gauge);
    const counter = getOrCreateCounter(registry, { name: 'keel_events_total', help: 'x' });
    expect(getOrCreateCounter(registry, { name: 'keel_events_total', help: 'x' })).toBe(counter);
    expect(counter).toBeInstanceOf(Counter);
    const histogram = getOrCreateHistogram(registry, {
      name: 'keel_latency_seconds',
      help: 'x',
      buckets: [0.1, 1],
    });
    expect(getOrCreateHistogram(registry, { name: 'keel_latency_seconds', help: 'x' })).toBe(histogram);
    expect(histogram).toBeInstanceOf(Histogram);
  });

  it('keeps registries apart', () => {
    const options = { name: 'keel_shared_total', help: 'x' };
    const a = getOrCreateCounter(createMetricsRegistry({ service: 'a', defaultMetrics: false }), options);
    const b = getOrCreateCounter(createMetricsRegistry({ service: 'b', defaultMetrics: false }), options);
    expect(a).not.toBe(b);
  });

  it('refuses a name registered as another kind of metric', () => {
    const registry = createMetricsRegistry({ service: 'messaging', defaultMetrics: false });
    getOrCreateCounter(registry, { name: 'keel_mixed', help: 'x' });
    expect(() => getOrCreateGauge(registry, { name: 'keel_mixed', help: 'x' })).toThrow(
      expect.objectContaining({ code: ObservabilityErrorCode.MetricTypeMismatch }),
    );
    expect(() => getOrCreateHistogram(registry, { name: 'keel_mixed', help: 'x' })).toThrow(
      ObservabilityError,
    );
    getOrCreateGauge(registry, { name: 'keel_gauge', help: 'x' });
    expect(() => getOrCreateCounter(registry, { name: 'keel_gauge', help: 'x' })).toThrow(ObservabilityError);
  });
});
