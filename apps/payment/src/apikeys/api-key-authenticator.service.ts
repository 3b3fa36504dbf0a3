import { Inject, Injectable } from '@nestjs/common';
import {
  ApiKeyVerdictCache,
  hashApiKey,
  modeOfApiKey,
  verifyApiKey,
  type ApiKeyVerdict,
} from '@keel/api-keys';
import type { PaymentEnvironment } from '../payment.environment';
import { PAYMENT_ENVIRONMENT } from '../payment.settings';
import { ApiKeyRepository } from './api-key.repository';

const NOT_A_KEY: ApiKeyVerdict = { valid: false, reason: 'unknown' };

/**
 * Tells who a presented API key belongs to. A verdict is read from the database once per key and
 * API_KEY_CACHE_TTL_MS (requests arriving together for a key not yet read share one statement),
 * so the accept path runs no statement for it in steady state; a revocation reaches every
 * instance within that TTL. Anything not shaped like a key is refused without a lookup.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly cache: ApiKeyVerdictCache;
  private readonly lookups = new Map<string, Promise<ApiKeyVerdict>>();
  private readonly hashSecret: string;

  constructor(
    private readonly keys: ApiKeyRepository,
    @Inject(PAYMENT_ENVIRONMENT) environment: PaymentEnvironment,
  ) {
    this.hashSecret = environment.API_KEY_HASH_SECRET;
    this.cache = new ApiKeyVerdictCache(
      { ttlMs: environment.API_KEY_CACHE_TTL_MS, entriesMax: environment.API_KEY_CACHE_ENTRIES_MAX },
      Date.now,
    );
  }

  authenticate(key: string): ApiKeyVerdict | Promise<ApiKeyVerdict> {
    const mode = modeOfApiKey(key);
    if (mode === undefined) return NOT_A_KEY;
    const hash = hashApiKey(key, this.hashSecret);
    const cached = this.cache.get(hash);
    if (cached !== undefined) return cached;
    const running = this.lookups.get(hash);
    if (running !== undefined) return running;
    const lookup = this.keys
      .findByHash(hash)
      .then((stored) => {
        const verdict = verifyApiKey(hash, mode, stored, new Date());
        this.cache.set(hash, verdict);
        return verdict;
      })
      .finally(() => this.lookups.delete(hash));
    this.lookups.set(hash, lookup);
    return lookup;
  }
}
