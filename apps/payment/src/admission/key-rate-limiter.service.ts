import { Inject, Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { getOrCreateCounter, OBSERVABILITY_LOGGER, Registry, type Logger } from '@keel/observability';
import { TokenBuckets } from '@keel/payment-domain';
import { PaymentProblem, PaymentProblemCode } from '../payment.errors';
import type { PaymentEnvironment } from '../payment.environment';
import { PAYMENT_ENVIRONMENT } from '../payment.settings';

/** Writes create (POST); reads only look (GET). Each has its own rate, so neither starves the other. */
export type KeyOperation = 'read' | 'write';

const DETAIL_OF: Readonly<Record<KeyOperation, string>> = {
  write:
    'This API key is creating faster than its limit; retry after Retry-After seconds with the same Idempotency-Key.',
  read: 'This API key is reading faster than its limit; retry after Retry-After seconds.',
};

/**
 * Each API key's request rate on this instance: one token bucket per key for writes and one for
 * reads (PAYMENT_KEY_WRITE_* and PAYMENT_KEY_READ_*), bounded in memory by
 * PAYMENT_KEY_BUCKETS_MAX and by forgetting idle keys. A request over its key's rate is refused
 * with 429 rate_limited and Retry-After (whole seconds, at least 1), before it touches the
 * database. Keys are told apart by their visible prefix, which names them in logs too.
 */
@Injectable()
export class KeyRateLimiter {
  private readonly buckets: Readonly<Record<KeyOperation, TokenBuckets>>;
  private readonly retryAfterMaxS: number;
  private readonly limitedCounter: Counter<'operation'>;

  constructor(
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
    @Inject(PAYMENT_ENVIRONMENT) environment: PaymentEnvironment,
    registry: Registry,
  ) {
    const bucketsMax = environment.PAYMENT_KEY_BUCKETS_MAX;
    this.buckets = {
      write: new TokenBuckets(
        {
          ratePerS: environment.PAYMENT_KEY_WRITE_RATE_PER_S,
          burst: environment.PAYMENT_KEY_WRITE_BURST,
          bucketsMax,
        },
        Date.now,
      ),
      read: new TokenBuckets(
        {
          ratePerS: environment.PAYMENT_KEY_READ_RATE_PER_S,
          burst: environment.PAYMENT_KEY_READ_BURST,
          bucketsMax,
        },
        Date.now,
      ),
    };
    this.retryAfterMaxS = environment.PAYMENT_SHED_RETRY_AFTER_MAX_S;
    this.limitedCounter = getOrCreateCounter(registry, {
      name: 'keel_http_rate_limited_total',
      help: 'Requests refused with 429 rate_limited because their API key was over its rate, by operation.',
      labelNames: ['operation'],
    });
  }

  /** Takes one of the key's tokens for `operation`; throws 429 rate_limited when there is none. */
  admit(apiKeyPrefix: string, operation: KeyOperation): void {
    const token = this.buckets[operation].take(apiKeyPrefix, this.retryAfterMaxS);
    if (token.taken) return;
    this.limitedCounter.inc({ operation });
    this.logger.debug(
      { apiKeyPrefix, operation, retryAfterS: token.retryAfterS },
      'request over its API key rate',
    );
    throw new PaymentProblem(
      PaymentProblemCode.RateLimited,
      DETAIL_OF[operation],
      { retryAfterSeconds: token.retryAfterS },
      token.retryAfterS,
    );
  }
}
