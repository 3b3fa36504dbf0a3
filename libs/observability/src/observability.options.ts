import type { CanActivate } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import type { ReadinessCheck } from './health-registry.service';
import type { LogLevel } from './logger';

export interface ObservabilityModuleOptions {
  /** The deployable's name: on every log line and as the `service` label of every metric. */
  readonly service: string;
  /** Defaults to 'info'. */
  readonly logLevel?: LogLevel;
  /** Defaults to standard output; tests pass a memory stream. */
  readonly logDestination?: DestinationStream;
  /** Checks known at start-up; modules add more at run time through HealthRegistry.register. */
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  /** Per-check timeout of /health/ready; defaults to 2000. */
  readonly readinessTimeoutMs?: number;
  /** Failing checks' error texts are cut to this length; defaults to 200. */
  readonly readinessErrorMessageMaxLength?: number;
  /** Longer incoming X-Correlation-Id values are replaced by a new id; defaults to 128. */
  readonly correlationIdMaxLength?: number;
  /**
   * Who may read /metrics: Keel's services ask for an operator credential (KeelServiceModule);
   * open when not given (the PSP simulator). The health probes are always open.
   */
  readonly metricsAccess?: CanActivate;
  /** Process and runtime metrics; defaults to true. */
  readonly defaultMetrics?: boolean;
  /** Paths whose request lines are always logged at debug; defaults to the probe and metrics paths. */
  readonly quietPaths?: readonly string[];
  /**
   * A request line is logged at info when the answer is an error (4xx, 5xx), the client went away,
   * or it took at least this long; every other line at debug, so a busy API's log is not one line
   * per payment. Defaults to 1000.
   */
  readonly slowRequestMs?: number;
  /** At most this many field errors in a validation problem; defaults to 50. */
  readonly validationMaxErrors?: number;
  /** Errors of a dependency that is down for a moment; answered 503 with Retry-After, not 500. */
  readonly unavailableErrors?: UnavailableErrors;
}

export interface UnavailableErrors {
  readonly matches: (error: unknown) => boolean;
  /** The problem code: `https://keel.dev/problems/<code>`. */
  readonly code: string;
  readonly retryAfterS: number;
}

export const OBSERVABILITY_PATHS = {
  metrics: '/metrics',
  live: '/health/live',
  ready: '/health/ready',
} as const;

export const DEFAULT_QUIET_PATHS: readonly string[] = Object.values(OBSERVABILITY_PATHS);
