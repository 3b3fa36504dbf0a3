import { Inject, Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { getOrCreateCounter, OBSERVABILITY_LOGGER, Registry, type Logger } from '@keel/observability';
import { decideAdmission, type AdmissionLimits, type ShedReason } from '@keel/payment-domain';
import { PaymentProblem, PaymentProblemCode } from '../payment.errors';
import type { KeyScope, StoredResponse } from '../idempotency/idempotency.repository';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { PAYMENT_ENVIRONMENT } from '../payment.settings';
import type { PaymentEnvironment } from '../payment.environment';
import { BacklogSampler } from './backlog-sampler.service';

/** A sample is trusted for this many sampling intervals; after that the backlog limit fails open. */
const SAMPLE_INTERVALS_TRUSTED = 20;

/** Admitted: call release() once the request is done. Replay: the stored answer of this key. */
export type Admission =
  | { readonly kind: 'admitted'; readonly release: () => void }
  | { readonly kind: 'replay'; readonly response: StoredResponse };

/**
 * Load shedding at POST /v1/payments: refuses a create, before it touches the database, when too
 * many creates are in flight or when a payment admitted now would wait too long for its charge
 * (503 overloaded, with Retry-After). Wallet and ledger confirmations lagging never refuse a
 * create: they are durable in Kafka and catch up. A request refused for the charge backlog whose
 * Idempotency-Key already holds an answer gets that answer instead; the concurrency limit answers
 * at once, so that nothing waits for a database connection. Each API key's own rate is
 * KeyRateLimiter's, checked before a request gets here.
 */
@Injectable()
export class AdmissionService {
  private createsInFlight = 0;
  private readonly limits: AdmissionLimits;
  private readonly shedCounter: Counter<'reason'>;

  constructor(
    private readonly sampler: BacklogSampler,
    private readonly idempotency: IdempotencyService,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
    @Inject(PAYMENT_ENVIRONMENT) environment: PaymentEnvironment,
    registry: Registry,
  ) {
    this.limits = {
      maxConcurrentCreates: environment.PAYMENT_MAX_CONCURRENT_CREATES,
      maxPendingPayments: environment.PAYMENT_MAX_PENDING_PAYMENTS,
      maxChargeWaitMs: environment.PAYMENT_MAX_CHARGE_WAIT_MS,
      pendingLimitFloor: environment.PAYMENT_PENDING_LIMIT_FLOOR,
      sampleMaxAgeMs: environment.PAYMENT_BACKLOG_SAMPLE_MS * SAMPLE_INTERVALS_TRUSTED,
      retryAfterMaxS: environment.PAYMENT_SHED_RETRY_AFTER_MAX_S,
    };
    this.shedCounter = getOrCreateCounter(registry, {
      name: 'keel_http_shed_total',
      help: 'Create requests refused by load shedding (503 overloaded), by reason: concurrency, charge_backlog.',
      labelNames: ['reason'],
    });
  }

  async admit(scope: KeyScope, requestHash: string): Promise<Admission> {
    const decision = decideAdmission(
      { createsInFlight: this.createsInFlight, backlog: this.sampler.latest(), nowMs: Date.now() },
      this.limits,
    );
    if (!decision.admitted) {
      if (decision.reason === 'concurrency') throw this.shed(scope, decision.reason, decision.retryAfterS);
      return this.replayOrShed(scope, requestHash, decision.reason, decision.retryAfterS);
    }
    this.createsInFlight += 1;
    let released = false;
    return {
      kind: 'admitted',
      release: () => {
        if (released) return;
        released = true;
        this.createsInFlight -= 1;
      },
    };
  }

  private async replayOrShed(
    scope: KeyScope,
    requestHash: string,
    reason: ShedReason,
    retryAfterS: number,
  ): Promise<Admission> {
    const response = await this.idempotency.findReplay(scope, requestHash);
    if (response !== undefined) return { kind: 'replay', response };
    throw this.shed(scope, reason, retryAfterS);
  }

  private shed(scope: KeyScope, reason: ShedReason, retryAfterS: number): PaymentProblem {
    this.shedCounter.inc({ reason });
    this.logger.debug({ merchantId: scope.merchantId, reason, retryAfterS }, 'payment create shed');
    return new PaymentProblem(
      PaymentProblemCode.Overloaded,
      'Keel is taking no new payments for a moment; retry later with the same Idempotency-Key.',
      { reason, retryAfterSeconds: retryAfterS },
      retryAfterS,
    );
  }
}
