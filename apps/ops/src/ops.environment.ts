import { Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { Sensitive, ServiceEnvironment } from '@keel/platform';
import { parsePipelineTargets } from './pipeline/pipeline-targets';

/**
 * The ops service's environment: the variables every Keel service reads, and its own as
 * it gains them, each with validation rules, a safe default and limits; secrets marked @Sensitive().
 */
export class OpsEnvironment extends ServiceEnvironment {
  /**
   * Ops counts PSP attempts in one-second buckets and judges them every OPS_DETECTION_INTERVAL_MS,
   * so its signals may trail by a second: a fetch that waits up to KAFKA_FETCH_MAX_WAIT_MS for
   * 64 KiB takes about a hundred attempts per chunk transaction instead of one or two.
   */
  override KAFKA_FETCH_MIN_BYTES = 65_536;

  // --- Alerting: incident notifications to a Slack-compatible webhook (src/alerting) ------------

  /**
   * A Slack-compatible incoming webhook that receives every incident's notification; unset: none
   * are sent. Sensitive: such a URL is its own credential.
   */
  @IsOptional()
  @Sensitive({ minLength: 1 })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OPS_ALERT_WEBHOOK_URL?: string;

  /** One request to the webhook, from connecting to the answer's last byte. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  OPS_ALERT_WEBHOOK_TIMEOUT_MS = 5_000;

  /** Requests per notification, the first included; a 4xx other than 408 and 429 is not retried. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  OPS_ALERT_WEBHOOK_ATTEMPTS_MAX = 4;

  /** The wait before the first retry, doubled for each next one (equal jitter). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  OPS_ALERT_WEBHOOK_RETRY_INITIAL_DELAY_MS = 1_000;

  /** The longest wait between two retries. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(300_000)
  OPS_ALERT_WEBHOOK_RETRY_MAX_DELAY_MS = 10_000;

  // --- Detection: attempt signals in sliding windows, rules evaluated on a timer (src/detection) --

  /** How often the detection rules run over the windows. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  OPS_DETECTION_INTERVAL_MS = 2_000;

  /** The windows' time resolution: a rule's window is a whole number of these. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  OPS_WINDOW_BUCKET_MS = 1_000;

  /** The longest history a rule may read (window plus baseline); a rule set that needs more is refused. */
  @Type(() => Number)
  @IsInt()
  @Min(10_000)
  @Max(3_600_000)
  OPS_WINDOW_HORIZON_MS = 900_000;

  /** Scopes (PSPs, providers, providers at a PSP) kept in memory at once; the stalest goes first. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(100_000)
  OPS_WINDOW_SCOPES_MAX = 5_000;

  /** Distinct error messages counted per scope and bucket; the rest count as `(other)`. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  OPS_WINDOW_DISTINCT_ERRORS_MAX = 20;

  // --- Pipeline: the services' outbox backlog and consumer lag from their /metrics (src/pipeline) -

  /**
   * The services whose `GET /metrics` ops reads for the pipeline-lag rules, as
   * `name=url[,name=url…]` (e.g. `payment=http://127.0.0.1:3001`); the name is the incident's
   * `service:<name>` scope. Empty: none are read and those rules stay quiet. ops reads them with a
   * viewer token it signs itself with OPERATOR_TOKEN_SECRET.
   */
  @IsString()
  @ValidateBy({
    name: 'pipelineTargets',
    validator: {
      validate: (value) => typeof value === 'string' && parsePipelineTargets(value).problems.length === 0,
      defaultMessage: (args) =>
        `OPS_PIPELINE_TARGETS must be name=url[,name=url…]: ${parsePipelineTargets(String(args?.value)).problems.join('; ')}`,
    },
  })
  OPS_PIPELINE_TARGETS = '';

  /** How often every pipeline target's /metrics is read (the outbox backlog is sampled every 5 s). */
  @Type(() => Number)
  @IsInt()
  @Min(500)
  @Max(300_000)
  OPS_PIPELINE_SCRAPE_INTERVAL_MS = 5_000;

  /** One read of a target's /metrics, from connecting to the answer's last byte; past it, no reading. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  OPS_PIPELINE_SCRAPE_TIMEOUT_MS = 2_000;

  /** The largest /metrics answer ops reads from a target; a larger one gives no reading. */
  @Type(() => Number)
  @IsInt()
  @Min(4_096)
  @Max(67_108_864)
  OPS_PIPELINE_RESPONSE_BYTES_MAX = 4_194_304;

  // --- Routing control: the executor's routing table, changed through one audited path ---------

  /** The executor whose `GET/PUT /v1/routes` ops reads and writes (any instance: they share the table). */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OPS_EXECUTOR_URL = 'http://127.0.0.1:3002';

  /** One request to the executor's routes, from connecting to the answer's last byte. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  OPS_EXECUTOR_TIMEOUT_MS = 5_000;

  /**
   * How long a mitigation holds with no signal (the PSP gets no traffic at weight 0) before the
   * probe stage gives it a little traffic to show whether it is healthy again.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  OPS_PROBE_AFTER_MS = 60_000;

  /** How long the probe stage runs before the old weights come back (or the weight goes to 0 again). */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  OPS_PROBE_PERIOD_MS = 30_000;

  /** The probe stage's weight of a PSP taken out, in percent of its old weight (at least 1). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  OPS_PROBE_WEIGHT_PERCENT = 10;

  /**
   * The probe stage of a method or provider switched off: the share of its new payments the
   * payment service admits, in percent (the rest are refused with its notice). All of them would
   * bring its whole failing traffic back at once.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(99)
  OPS_PROBE_ADMITTED_PERCENT = 10;

  /** What buyers are told about a provider switched off by automation; `{provider}` is replaced. */
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  OPS_AUTOMATIC_NOTICE = '{provider} cannot be used right now; please choose another payment method.';

  // --- Public status page: GET /status and /status.json, no credential (src/status-page) -------

  /**
   * How long one snapshot of the status page answers every request (one database read per period)
   * and may be kept by browsers and proxies.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(300_000)
  OPS_STATUS_CACHE_MS = 5_000;

  /** How far back the page's history of resolved incidents reaches. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  OPS_STATUS_HISTORY_DAYS = 30;

  /** The most incidents the page shows, current and resolved each (the newest). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  OPS_STATUS_INCIDENTS_MAX = 50;

  /** The most updates the page shows per incident (the newest). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  OPS_STATUS_UPDATES_MAX = 20;

  /** The most switched-off methods and providers the page lists. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5_000)
  OPS_STATUS_SWITCHED_OFF_MAX = 200;

  // --- Back-office API ------------------------------------------------------------------------

  /** The most incidents or audit records one page of a list returns. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  OPS_PAGE_SIZE_MAX = 100;
}
