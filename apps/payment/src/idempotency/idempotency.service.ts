import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { PaymentProblem, PaymentProblemCode } from '../http/payment.problem';
import { PAYMENT_ENVIRONMENT } from '../payment.settings';
import type { PaymentEnvironment } from '../payment.environment';
import { IdempotencyRepository, type KeyScope, type StoredResponse } from './idempotency.repository';

export type Claim =
  | { readonly kind: 'claimed'; readonly claimToken: string }
  | { readonly kind: 'replay'; readonly response: StoredResponse };

/** A key that vanished between our insert and our read (released or purged) is claimed again. */
const CLAIM_ATTEMPTS_MAX = 3;

/**
 * The Idempotency-Key protocol (IETF draft-ietf-httpapi-idempotency-key-header). A request first
 * claims its key with an INSERT under the (merchant, key) primary key, in its own short
 * transaction, so concurrent copies see the claim at once; the work then stores its response in
 * the same transaction as its effect; a request that fails releases the key.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: IdempotencyRepository,
    @Inject(PAYMENT_ENVIRONMENT) private readonly environment: PaymentEnvironment,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  async claim(scope: KeyScope, requestHash: string): Promise<Claim> {
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS_MAX; attempt += 1) {
      const claim = await this.dataSource.transaction((manager) =>
        this.tryClaim(manager, scope, requestHash),
      );
      if (claim !== undefined) return claim;
    }
    throw this.inFlight();
  }

  /** Stores the response with the effect; throws (rolling the effect back) if the claim was lost. */
  async complete(
    manager: EntityManager,
    scope: KeyScope,
    claimToken: string,
    response: StoredResponse,
  ): Promise<void> {
    if (!(await this.keys.complete(manager, scope, claimToken, response))) {
      throw new Error(
        `the claim on idempotency key of merchant ${scope.merchantId} was lost before completion`,
      );
    }
  }

  /**
   * Read-only: the stored answer to replay for this key and body, if the first request finished.
   * Answers a request refused before claiming (load shedding), so a retry of an accepted payment
   * still gets its answer; a different body or a copy still in flight get their usual problems.
   */
  async findReplay(scope: KeyScope, requestHash: string): Promise<StoredResponse | undefined> {
    const existing = await this.keys.find(
      this.dataSource.manager,
      scope,
      this.environment.IDEMPOTENCY_CLAIM_TIMEOUT_MS,
    );
    if (existing === undefined || existing.expired) return undefined;
    if (existing.requestHash !== requestHash) throw reused();
    if (existing.response !== undefined) return existing.response;
    if (existing.stale) return undefined;
    throw this.inFlight();
  }

  /** Frees the key of a request that failed, so that a retry runs again. Never throws. */
  async release(scope: KeyScope, claimToken: string): Promise<void> {
    try {
      await this.keys.release(this.dataSource.manager, scope, claimToken);
    } catch (error) {
      // The claim then stays until it goes stale and a retry takes it over.
      this.logger.error({ err: error, merchantId: scope.merchantId }, 'could not release an idempotency key');
    }
  }

  private async tryClaim(
    manager: EntityManager,
    scope: KeyScope,
    requestHash: string,
  ): Promise<Claim | undefined> {
    const claimToken = randomUUID();
    const ttlMs = this.environment.IDEMPOTENCY_KEY_TTL_MS;
    if (await this.keys.insertClaim(manager, scope, requestHash, claimToken, ttlMs)) {
      return { kind: 'claimed', claimToken };
    }
    const existing = await this.keys.find(manager, scope, this.environment.IDEMPOTENCY_CLAIM_TIMEOUT_MS);
    if (existing === undefined) return undefined;
    if (existing.expired) {
      await this.keys.deleteIfExpired(manager, scope);
      return (await this.keys.insertClaim(manager, scope, requestHash, claimToken, ttlMs))
        ? { kind: 'claimed', claimToken }
        : undefined;
    }
    if (existing.requestHash !== requestHash) {
      throw reused();
    }
    if (existing.response !== undefined) return { kind: 'replay', response: existing.response };
    if (existing.stale && (await this.keys.takeOver(manager, scope, existing.claimToken, claimToken))) {
      return { kind: 'claimed', claimToken };
    }
    throw this.inFlight();
  }

  private inFlight(): PaymentProblem {
    const retryAfterS = this.environment.IDEMPOTENCY_IN_FLIGHT_RETRY_AFTER_S;
    return new PaymentProblem(
      PaymentProblemCode.IdempotencyKeyInFlight,
      'A request with this Idempotency-Key is still being processed.',
      { retryAfterS },
      retryAfterS,
    );
  }
}

function reused(): PaymentProblem {
  return new PaymentProblem(
    PaymentProblemCode.IdempotencyKeyReused,
    'This Idempotency-Key was already used with a different request body.',
  );
}
