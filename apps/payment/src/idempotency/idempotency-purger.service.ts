import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { PeriodicTask } from '@keel/platform';
import { PAYMENT_ENVIRONMENT } from '../payment.settings';
import type { PaymentEnvironment } from '../payment.environment';
import { IdempotencyRepository } from './idempotency.repository';

/**
 * Deletes expired idempotency keys on a timer, in bounded batches: each DELETE touches at most
 * IDEMPOTENCY_PURGE_BATCH_SIZE rows and a run at most IDEMPOTENCY_PURGE_MAX_BATCHES of them, so a
 * backlog drains over several runs instead of one long lock. Expired keys are already ignored by
 * the claim, so a late purge is harmless.
 */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly purging: PeriodicTask<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: IdempotencyRepository,
    @Inject(PAYMENT_ENVIRONMENT) private readonly environment: PaymentEnvironment,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {
    this.purging = new PeriodicTask(
      {
        name: 'idempotency-key-purge',
        intervalMs: environment.IDEMPOTENCY_PURGE_INTERVAL_MS,
        failureMessage: 'idempotency key purge failed; the next run tries again',
      },
      () => this.purgeBatches(),
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.purging.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.purging.stop();
  }

  /** One run; returns the number of keys deleted. Runs never overlap. */
  purgeExpired(): Promise<number> {
    return this.purging.runNow();
  }

  private async purgeBatches(): Promise<number> {
    const batchSize = this.environment.IDEMPOTENCY_PURGE_BATCH_SIZE;
    let deleted = 0;
    for (let batch = 0; batch < this.environment.IDEMPOTENCY_PURGE_MAX_BATCHES; batch += 1) {
      const count = await this.keys.purgeExpired(this.dataSource.manager, batchSize);
      deleted += count;
      if (count < batchSize) break;
    }
    if (deleted > 0) this.logger.info({ deleted }, 'expired idempotency keys purged');
    return deleted;
  }
}
