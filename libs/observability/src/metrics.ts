import {
  Counter,
  CounterConfiguration,
  Gauge,
  GaugeConfiguration,
  Histogram,
  HistogramConfiguration,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';
import { ObservabilityError, ObservabilityErrorCode } from './observability.error';

export { Registry } from 'prom-client';

export interface MetricsRegistryOptions {
  /** Becomes the `service` label on every series of this registry. */
  readonly service: string;
  /** Process and Node.js runtime metrics (CPU, memory, event loop lag, GC); defaults to true. */
  readonly defaultMetrics?: boolean;
}

/** Metric settings without `registers`: the registry is always the one passed alongside. */
export type CounterOptions<T extends string> = Omit<CounterConfiguration<T>, 'registers'>;
export type GaugeOptions<T extends string> = Omit<GaugeConfiguration<T>, 'registers'>;
export type HistogramOptions<T extends string> = Omit<HistogramConfiguration<T>, 'registers'>;

/** The process's registry; create it once at start-up and share it (ObservabilityModule does). */
export function createMetricsRegistry(options: MetricsRegistryOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

// Several modules may ask for the same metric; prom-client throws on a second registration, so the
// first registration wins and later callers get it back, provided they expect the same kind.
export function getOrCreateCounter<T extends string>(
  registry: Registry,
  options: CounterOptions<T>,
): Counter<T> {
  const existing = registry.getSingleMetric<T>(options.name);
  if (existing === undefined) return new Counter<T>({ ...options, registers: [registry] });
  if (existing instanceof Counter) return existing;
  throw metricTypeMismatch(options.name, 'counter');
}

export function getOrCreateGauge<T extends string>(registry: Registry, options: GaugeOptions<T>): Gauge<T> {
  const existing = registry.getSingleMetric<T>(options.name);
  if (existing === undefined) return new Gauge<T>({ ...options, registers: [registry] });
  if (existing instanceof Gauge) return existing;
  throw metricTypeMismatch(options.name, 'gauge');
}

export function getOrCreateHistogram<T extends string>(
  registry: Registry,
  options: HistogramOptions<T>,
): Histogram<T> {
  const existing = registry.getSingleMetric<T>(options.name);
  if (existing === undefined) return new Histogram<T>({ ...options, registers: [registry] });
  if (existing instanceof Histogram) return existing;
  throw metricTypeMismatch(options.name, 'histogram');
}

function metricTypeMismatch(name: string, expected: string): ObservabilityError {
  return new ObservabilityError(
    ObservabilityErrorCode.MetricTypeMismatch,
    `metric ${name} is already registered, but not as a ${expected}`,
  );
}
