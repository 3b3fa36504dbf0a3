import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUrl, Max, Min } from 'class-validator';
import { Sensitive, ServiceEnvironment } from '@keel/platform';

/**
 * The ops service's environment: the variables every Keel service reads, and its own as
 * it gains them, each with validation rules, a safe default and limits; secrets marked @Sensitive().
 */
export class OpsEnvironment extends ServiceEnvironment {
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
}
