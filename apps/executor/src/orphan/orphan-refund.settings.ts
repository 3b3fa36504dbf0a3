import type { PollLoopSettings } from '../executor.settings';

/** How the orphan refund loop runs; from the EXECUTOR_ORPHAN_REFUND_* variables. */
export interface OrphanRefundSettings {
  readonly loop: PollLoopSettings;
  /** Refund requests per orphan before it is left to a person (status gave_up, an error log). */
  readonly attemptsMax: number;
  readonly retryInitialDelayMs: number;
  readonly retryMaxDelayMs: number;
  /** A claimed refund not reported back within this is due again (its process died mid-call). */
  readonly leaseMs: number;
}

export const ORPHAN_REFUND_SETTINGS = Symbol('keel.executor.orphan-refund-settings');

export interface OrphanRefundEnvironment {
  readonly EXECUTOR_ORPHAN_REFUND_POLL_INTERVAL_MS: number;
  readonly EXECUTOR_ORPHAN_REFUND_BATCH_SIZE: number;
  readonly EXECUTOR_ORPHAN_REFUND_CONCURRENCY: number;
  readonly EXECUTOR_ORPHAN_REFUND_ATTEMPTS_MAX: number;
  readonly EXECUTOR_ORPHAN_REFUND_RETRY_INITIAL_DELAY_MS: number;
  readonly EXECUTOR_ORPHAN_REFUND_RETRY_MAX_DELAY_MS: number;
  readonly EXECUTOR_LEASE_MS: number;
}

export function orphanRefundSettingsOf(environment: OrphanRefundEnvironment): OrphanRefundSettings {
  return {
    loop: {
      pollIntervalMs: environment.EXECUTOR_ORPHAN_REFUND_POLL_INTERVAL_MS,
      batchSize: environment.EXECUTOR_ORPHAN_REFUND_BATCH_SIZE,
      concurrency: environment.EXECUTOR_ORPHAN_REFUND_CONCURRENCY,
    },
    attemptsMax: environment.EXECUTOR_ORPHAN_REFUND_ATTEMPTS_MAX,
    retryInitialDelayMs: environment.EXECUTOR_ORPHAN_REFUND_RETRY_INITIAL_DELAY_MS,
    retryMaxDelayMs: Math.max(
      environment.EXECUTOR_ORPHAN_REFUND_RETRY_MAX_DELAY_MS,
      environment.EXECUTOR_ORPHAN_REFUND_RETRY_INITIAL_DELAY_MS,
    ),
    leaseMs: environment.EXECUTOR_LEASE_MS,
  };
}
