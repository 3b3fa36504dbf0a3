import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PaymentProblem, PaymentProblemCode } from '../payment.errors';
import { PAYMENT_ENVIRONMENT } from '../payment.settings';
import type { PaymentEnvironment } from '../payment.environment';
import {
  IdempotencyRepository,
  type ClaimAttempt,
  type KeyScope,
  type StoredResponse,
} from './idempotency.repository';

export type Claim =
  | { readonly kind: 'claimed'; readonly claimToken: string }
  | { readonly kind: 'replay'; readonly response: StoredResponse };

interface PendingClaim {
  readonly scope: KeyScope;
  readonly requestHash: string;
  readonly claimToken: string;
  readonly lockOnClaim: string;
}

/** A key that vanished or appeared between our statements (purged, or committed meanwhile) is claimed again. */
const CLAIM_ATTEMPTS_MAX = 3;

/**
 * The Idempotency-Key protocol (IETF draft-ietf-httpapi-idempotency-key-header). A request claims
 * its key with an INSERT under the (merchant, key) primary key in the very transaction that does
 * its work and stores its answer, so the claim commits with the effect or not at all: a request
 * that fails leaves its key free with nothing to release. A copy arriving while the first runs
 * finds the key's advisory lock taken and answers 409 at once.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: IdempotencyRepository,
    @Inject(PAYMENT_ENVIRONMENT) private readonly environment: PaymentEnvironment,
  ) {}

  /**
   * Claims the key in the caller's transaction (`manager` must be inside one); once claimed, the
   * advisory lock `lockOnClaim` is held as well. A replay returns the stored answer; another body
   * throws 422, a copy in flight 409.
   */
  async claim(
    manager: EntityManager,
    scope: KeyScope,
    requestHash: string,
    lockOnClaim: string,
  ): Promise<Claim> {
    const claimToken = randomUUID();
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS_MAX; attempt += 1) {
      const attempted = await this.keys.claimOrFind(manager, {
        scope,
        requestHash,
        claimToken,
        ttlMs: this.environment.IDEMPOTENCY_KEY_TTL_MS,
        claimTimeoutMs: this.environment.IDEMPOTENCY_CLAIM_TIMEOUT_MS,
        lockOnClaim,
      });
      if (attempted.claimed) return { kind: 'claimed', claimToken };
      const claim = await this.judge(manager, { scope, requestHash, claimToken, lockOnClaim }, attempted);
      if (claim !== undefined) return claim;
    }
    throw this.inFlight();
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

  /** The key is taken: replay, refuse, or claim it when it expired or its request died. */
  private async judge(
    manager: EntityManager,
    request: PendingClaim,
    attempted: ClaimAttempt,
  ): Promise<Claim | undefined> {
    const { existing, keyLocked } = attempted;
    if (existing === undefined) {
      // Without the key's lock, a copy holds the key's uncommitted row; with it, the row came or went meanwhile.
      if (!keyLocked) throw this.inFlight();
      return undefined;
    }
    if (existing.expired) {
      if (!keyLocked) throw this.inFlight();
      return this.reclaimExpired(manager, request);
    }
    if (existing.requestHash !== request.requestHash) throw reused();
    if (existing.response !== undefined) return { kind: 'replay', response: existing.response };
    const { scope, claimToken } = request;
    if (
      keyLocked &&
      existing.stale &&
      (await this.keys.takeOver(manager, scope, existing.claimToken, claimToken))
    ) {
      await this.keys.lock(manager, request.lockOnClaim);
      return { kind: 'claimed', claimToken };
    }
    throw this.inFlight();
  }

  private async reclaimExpired(manager: EntityManager, request: PendingClaim): Promise<Claim | undefined> {
    const { scope, claimToken } = request;
    await this.keys.deleteIfExpired(manager, scope);
    const ttlMs = this.environment.IDEMPOTENCY_KEY_TTL_MS;
    if (!(await this.keys.insertClaim(manager, scope, request.requestHash, claimToken, ttlMs)))
      return undefined;
    await this.keys.lock(manager, request.lockOnClaim);
    return { kind: 'claimed', claimToken };
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
