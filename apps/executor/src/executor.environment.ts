import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import {
  DEFAULT_PSP_CONNECTIONS_MAX,
  DEFAULT_PSP_TIMEOUT_MS,
  DEFAULT_RESPONSE_BODY_BYTES_MAX,
  DEFAULT_WEBHOOK_TOLERANCE_MS,
} from '@keel/executor-connectors';
import { Sensitive } from '@keel/platform';
import { PspAccountsEnvironment } from '@keel/psp-accounts';

/**
 * The executor's environment. The PSPs' credentials (PspAccountsEnvironment's and the webhook
 * secrets here) have no default: outside KEEL_PROFILE=local the executor refuses to start without
 * them (at least 32 characters each), and under it an unset one takes psp-sim's public test value,
 * which is refused anywhere else.
 */
export class ExecutorEnvironment extends PspAccountsEnvironment {
  // --- PSPs -----------------------------------------------------------------------------------

  // The PSPs' URLs and API credentials are PspAccountsEnvironment's; their webhooks' secrets:

  @Sensitive({ localValue: 'whsec_acme_test' })
  PSP_ACME_WEBHOOK_SECRET!: string;

  @Sensitive({ localValue: 'nova_whsec_test' })
  PSP_NOVA_WEBHOOK_SECRET!: string;

  @Sensitive({ localValue: 'swift_whsec_test' })
  PSP_SWIFTPAY_WEBHOOK_SECRET!: string;

  /** Per HTTP exchange with a PSP; swiftpay's charge makes two. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  PSP_TIMEOUT_MS = DEFAULT_PSP_TIMEOUT_MS;

  @Type(() => Number)
  @IsInt()
  @Min(1_024)
  @Max(10_485_760)
  PSP_RESPONSE_BYTES_MAX = DEFAULT_RESPONSE_BODY_BYTES_MAX;

  /** Keep-alive connections per PSP at most; more calls at once wait for a free one. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  PSP_CONNECTIONS_MAX = DEFAULT_PSP_CONNECTIONS_MAX;

  /** How far a webhook's signed timestamp may be from now. */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  PSP_WEBHOOK_TOLERANCE_MS = DEFAULT_WEBHOOK_TOLERANCE_MS;

  // --- Charging worker ------------------------------------------------------------------------

  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  EXECUTOR_WORKER_POLL_INTERVAL_MS = 250;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  EXECUTOR_WORKER_BATCH_SIZE = 20;

  /** PSP charges in flight at once in this process. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  EXECUTOR_WORKER_CONCURRENCY = 64;

  /**
   * Orders claimed in the transaction that stored them and waiting in memory for a charge slot, at
   * most; beyond it new orders are stored unclaimed and the worker's poll takes them later.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  EXECUTOR_CHARGE_BACKLOG_MAX = 1_000;

  /** Charge outcomes applied together in one transaction at most. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  EXECUTOR_OUTCOME_BATCH_SIZE = 256;

  /** Tries of one outcome batch before it is left to the leases (resolved by inquiry). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  EXECUTOR_OUTCOME_WRITE_ATTEMPTS_MAX = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60_000)
  EXECUTOR_OUTCOME_WRITE_RETRY_DELAY_MS = 200;

  /**
   * How long the first charge outcome to reach an idle outcome writer waits for others; 0 writes
   * it at once (outcomes that arrive during a write go together in the next batch anyway).
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000)
  EXECUTOR_OUTCOME_BATCH_MAX_WAIT_MS = 0;

  // --- PSP webhooks ---------------------------------------------------------------------------

  /** Verified webhooks recorded and applied together in one transaction at most. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  EXECUTOR_WEBHOOK_BATCH_SIZE = 256;

  /**
   * How long the first webhook to reach an idle webhook writer waits for others before its batch
   * is written. Its answer waits as long; the PSP's outcome usually came with the charge already.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000)
  EXECUTOR_WEBHOOK_BATCH_MAX_WAIT_MS = 20;

  /** Tries of one webhook batch before each of its webhooks is answered 503 (the PSP retries). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  EXECUTOR_WEBHOOK_WRITE_ATTEMPTS_MAX = 2;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  EXECUTOR_WEBHOOK_WRITE_RETRY_DELAY_MS = 100;

  /** Verified webhooks waiting for a batch at most; beyond it they are answered 503 at once. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  EXECUTOR_WEBHOOK_QUEUE_MAX = 10_000;

  /** Charge attempts per order (same key, same PSP) before it fails as psp_unavailable. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  EXECUTOR_CHARGE_ATTEMPTS_MAX = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  EXECUTOR_RETRY_INITIAL_DELAY_MS = 1_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400_000)
  EXECUTOR_RETRY_MAX_DELAY_MS = 60_000;

  /**
   * How long an order may stay `executing` before it is presumed abandoned (its process stopped
   * mid-call) and resolved by inquiry. Must exceed the longest charge: at least 3 × PSP_TIMEOUT_MS.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  EXECUTOR_LEASE_MS = 60_000;

  // --- Unknown-outcome resolver ---------------------------------------------------------------

  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  EXECUTOR_RESOLVER_POLL_INTERVAL_MS = 1_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  EXECUTOR_RESOLVER_BATCH_SIZE = 20;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  EXECUTOR_RESOLVER_CONCURRENCY = 10;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  EXECUTOR_INQUIRY_INITIAL_DELAY_MS = 1_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400_000)
  EXECUTOR_INQUIRY_MAX_DELAY_MS = 60_000;

  /**
   * How long an order may stay `unknown` before it is reported overdue (once: an event, a counter
   * and an error log). It is still resolved by inquiry after that, never charged again.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(604_800_000)
  EXECUTOR_UNKNOWN_DEADLINE_MS = 600_000;

  // --- Routing and circuit breakers -----------------------------------------------------------

  /** How often the routing table (psp_routes) is re-read; changes apply without a restart. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  ROUTING_REFRESH_MS = 2_000;

  /** Failure share (%) of a breaker's rolling window above which it opens. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  EXECUTOR_BREAKER_ERROR_THRESHOLD_PERCENT = 50;

  /** Calls in the rolling window before a breaker judges the failure share at all. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  EXECUTOR_BREAKER_VOLUME_THRESHOLD = 10;

  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  EXECUTOR_BREAKER_ROLLING_WINDOW_MS = 10_000;

  /** Buckets of the rolling window; the window must divide evenly into them. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  EXECUTOR_BREAKER_ROLLING_BUCKETS = 10;

  /** How long an open breaker waits before letting trial calls through (half-open). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  EXECUTOR_BREAKER_RESET_TIMEOUT_MS = 5_000;

  /** Trial calls in flight at once while half-open (opossum 9 itself admits one until it settles). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  EXECUTOR_BREAKER_HALF_OPEN_TRIALS_MAX = 1;

  // --- Orphan charge refunds ------------------------------------------------------------------

  /** How often the orphan refund loop looks for due refunds; bounds the refund delay. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  EXECUTOR_ORPHAN_REFUND_POLL_INTERVAL_MS = 500;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  EXECUTOR_ORPHAN_REFUND_BATCH_SIZE = 20;

  /** Refund requests in flight at once in this process. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  EXECUTOR_ORPHAN_REFUND_CONCURRENCY = 5;

  /** Refund requests per orphan charge before it is left to a person (gave_up, an error log). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  EXECUTOR_ORPHAN_REFUND_ATTEMPTS_MAX = 20;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  EXECUTOR_ORPHAN_REFUND_RETRY_INITIAL_DELAY_MS = 1_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400_000)
  EXECUTOR_ORPHAN_REFUND_RETRY_MAX_DELAY_MS = 60_000;
}
