import { Secret, type PspConnectionSettings, type PspConnectorsSettings } from '@keel/executor-connectors';
import { assertValidExecutionPolicy, type ExecutionPolicy } from '@keel/executor-domain';
import { EnvironmentError } from '@keel/platform';
import type { ExecutorEnvironment } from './executor.environment';

/** How a claim holds an order: for how long, and for which instance. */
export interface OrderLease {
  /** EXECUTOR_LEASE_MS: an order still `executing` this long after its claim is resolved by inquiry. */
  readonly durationMs: number;
  /**
   * KEEL_INSTANCE_ID, written on every lease taken, so that the instance takes its own leases back
   * when it starts again; undefined without one.
   */
  readonly holder: string | undefined;
}

export interface PollLoopSettings {
  readonly pollIntervalMs: number;
  readonly batchSize: number;
  /** Items processed at once; a claim never takes more than the free slots. */
  readonly concurrency: number;
}

/** How one MicroBatcher writes (batching/micro-batcher.ts). */
export interface MicroBatcherSettings {
  /** Items written together at most, in one transaction. */
  readonly batchSize: number;
  /** Tries of one batch before its items are given up (their leases bring them back). */
  readonly writeAttemptsMax: number;
  readonly retryDelayMs: number;
  /**
   * How long the first item to reach an idle batcher waits for others before its batch is written
   * (less when the batch fills first); 0 writes it at once. While a batch is being written, the
   * items that arrive wait for it to commit anyway, so this only matters when the load is light.
   */
  readonly maxWaitMs: number;
}

/** When a PSP's circuit breaker opens and how it tries again (resilience/psp-breaker.ts). */
export interface BreakerSettings {
  /** Failure share of calls in the rolling window above which the breaker opens. */
  readonly errorThresholdPercent: number;
  /** Calls in the window before the share is judged at all. */
  readonly volumeThreshold: number;
  readonly rollingWindowMs: number;
  readonly rollingBuckets: number;
  /** How long the breaker stays open before it lets trial calls through (half-open). */
  readonly resetTimeoutMs: number;
  /** Trial calls in flight at once while half-open; the rest are rejected as if open. */
  readonly halfOpenTrialsMax: number;
}

/** Everything the executor runs on, derived once from the validated environment. */
export interface ExecutorSettings {
  readonly connectors: PspConnectorsSettings;
  readonly policy: ExecutionPolicy;
  /** How often psp_routes is re-read. */
  readonly routingRefreshMs: number;
  readonly breaker: BreakerSettings;
  readonly worker: PollLoopSettings;
  /** Orders handed to the worker in memory at most; see EXECUTOR_CHARGE_BACKLOG_MAX. */
  readonly chargeBacklogMax: number;
  readonly outcomeBatch: MicroBatcherSettings;
  readonly webhookBatch: MicroBatcherSettings;
  /** Verified webhooks waiting for a batch at most; see EXECUTOR_WEBHOOK_QUEUE_MAX. */
  readonly webhookQueueMax: number;
  readonly resolver: PollLoopSettings;
  readonly lease: OrderLease;
  /** Per HTTP exchange with a PSP; a charge takes at most three (see EXECUTOR_LEASE_MS). */
  readonly pspTimeoutMs: number;
  /** An order unknown this long is reported overdue, once; its resolution goes on. */
  readonly unknownDeadlineMs: number;
}

export const EXECUTOR_SETTINGS = Symbol('keel.executor.settings');

function connectionOf(
  environment: ExecutorEnvironment,
  baseUrl: string,
  webhookSecret: string,
): PspConnectionSettings {
  return {
    baseUrl,
    timeoutMs: environment.PSP_TIMEOUT_MS,
    responseBodyBytesMax: environment.PSP_RESPONSE_BYTES_MAX,
    connectionsMax: environment.PSP_CONNECTIONS_MAX,
    webhookSecret: new Secret(webhookSecret),
    webhookToleranceMs: environment.PSP_WEBHOOK_TOLERANCE_MS,
  };
}

function connectorsOf(environment: ExecutorEnvironment): PspConnectorsSettings {
  return {
    acme: {
      ...connectionOf(environment, environment.PSP_ACME_URL, environment.PSP_ACME_WEBHOOK_SECRET),
      apiKey: new Secret(environment.PSP_ACME_API_KEY),
    },
    nova: {
      ...connectionOf(environment, environment.PSP_NOVA_URL, environment.PSP_NOVA_WEBHOOK_SECRET),
      merchantId: environment.PSP_NOVA_MERCHANT_ID,
      signingSecret: new Secret(environment.PSP_NOVA_SECRET),
    },
    swiftpay: {
      ...connectionOf(environment, environment.PSP_SWIFTPAY_URL, environment.PSP_SWIFTPAY_WEBHOOK_SECRET),
      apiKey: new Secret(environment.PSP_SWIFTPAY_API_KEY),
    },
  };
}

function breakerSettingsOf(environment: ExecutorEnvironment): BreakerSettings {
  // opossum splits the window into equal buckets; an uneven split would skew the failure share.
  if (environment.EXECUTOR_BREAKER_ROLLING_WINDOW_MS % environment.EXECUTOR_BREAKER_ROLLING_BUCKETS !== 0) {
    throw new EnvironmentError(
      'EXECUTOR_BREAKER_ROLLING_WINDOW_MS must be a multiple of EXECUTOR_BREAKER_ROLLING_BUCKETS',
    );
  }
  return {
    errorThresholdPercent: environment.EXECUTOR_BREAKER_ERROR_THRESHOLD_PERCENT,
    volumeThreshold: environment.EXECUTOR_BREAKER_VOLUME_THRESHOLD,
    rollingWindowMs: environment.EXECUTOR_BREAKER_ROLLING_WINDOW_MS,
    rollingBuckets: environment.EXECUTOR_BREAKER_ROLLING_BUCKETS,
    resetTimeoutMs: environment.EXECUTOR_BREAKER_RESET_TIMEOUT_MS,
    halfOpenTrialsMax: environment.EXECUTOR_BREAKER_HALF_OPEN_TRIALS_MAX,
  };
}

/** Throws EnvironmentError for settings that are valid one by one but not together. */
export function executorSettingsOf(environment: ExecutorEnvironment): ExecutorSettings {
  // A lease shorter than a charge would hand a live call to the resolver; swiftpay makes two calls.
  if (environment.EXECUTOR_LEASE_MS < 3 * environment.PSP_TIMEOUT_MS) {
    throw new EnvironmentError('EXECUTOR_LEASE_MS must be at least 3 × PSP_TIMEOUT_MS');
  }
  const policy: ExecutionPolicy = {
    chargeAttemptsMax: environment.EXECUTOR_CHARGE_ATTEMPTS_MAX,
    retryInitialDelayMs: environment.EXECUTOR_RETRY_INITIAL_DELAY_MS,
    retryMaxDelayMs: environment.EXECUTOR_RETRY_MAX_DELAY_MS,
    inquiryInitialDelayMs: environment.EXECUTOR_INQUIRY_INITIAL_DELAY_MS,
    inquiryMaxDelayMs: environment.EXECUTOR_INQUIRY_MAX_DELAY_MS,
  };
  try {
    assertValidExecutionPolicy(policy);
  } catch (error) {
    throw new EnvironmentError(error instanceof Error ? error.message : String(error));
  }
  return {
    connectors: connectorsOf(environment),
    policy,
    routingRefreshMs: environment.ROUTING_REFRESH_MS,
    breaker: breakerSettingsOf(environment),
    worker: {
      pollIntervalMs: environment.EXECUTOR_WORKER_POLL_INTERVAL_MS,
      batchSize: environment.EXECUTOR_WORKER_BATCH_SIZE,
      concurrency: environment.EXECUTOR_WORKER_CONCURRENCY,
    },
    chargeBacklogMax: environment.EXECUTOR_CHARGE_BACKLOG_MAX,
    outcomeBatch: {
      batchSize: environment.EXECUTOR_OUTCOME_BATCH_SIZE,
      writeAttemptsMax: environment.EXECUTOR_OUTCOME_WRITE_ATTEMPTS_MAX,
      retryDelayMs: environment.EXECUTOR_OUTCOME_WRITE_RETRY_DELAY_MS,
      maxWaitMs: environment.EXECUTOR_OUTCOME_BATCH_MAX_WAIT_MS,
    },
    webhookBatch: {
      batchSize: environment.EXECUTOR_WEBHOOK_BATCH_SIZE,
      writeAttemptsMax: environment.EXECUTOR_WEBHOOK_WRITE_ATTEMPTS_MAX,
      retryDelayMs: environment.EXECUTOR_WEBHOOK_WRITE_RETRY_DELAY_MS,
      maxWaitMs: environment.EXECUTOR_WEBHOOK_BATCH_MAX_WAIT_MS,
    },
    webhookQueueMax: environment.EXECUTOR_WEBHOOK_QUEUE_MAX,
    resolver: {
      pollIntervalMs: environment.EXECUTOR_RESOLVER_POLL_INTERVAL_MS,
      batchSize: environment.EXECUTOR_RESOLVER_BATCH_SIZE,
      concurrency: environment.EXECUTOR_RESOLVER_CONCURRENCY,
    },
    lease: { durationMs: environment.EXECUTOR_LEASE_MS, holder: environment.KEEL_INSTANCE_ID },
    pspTimeoutMs: environment.PSP_TIMEOUT_MS,
    unknownDeadlineMs: environment.EXECUTOR_UNKNOWN_DEADLINE_MS,
  };
}
