import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { getOrCreateGauge, OBSERVABILITY_LOGGER, Registry, type Logger } from '@keel/observability';
import { PAYMENT_ENVIRONMENT } from '../payment.settings';
import type { PaymentEnvironment } from '../payment.environment';
import type { BacklogSample } from './admission-decision.util';
import { PaymentBacklogRepository } from './payment-backlog.repository';

/**
 * Reads the pipeline backlog every PAYMENT_BACKLOG_SAMPLE_MS, so admission decides from memory and
 * a create request costs no extra query. The count comes from the payments projection, which the
 * saga keeps in the same transaction as each status change: it stays right across restarts and
 * replicas, where an in-process counter would drift.
 */
@Injectable()
export class BacklogSampler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private sample: BacklogSample | undefined;
  private failing = false;
  private readonly backlogGauge: Gauge;

  constructor(
    private readonly dataSource: DataSource,
    private readonly backlog: PaymentBacklogRepository,
    @Inject(PAYMENT_ENVIRONMENT) private readonly environment: PaymentEnvironment,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
    registry: Registry,
  ) {
    this.backlogGauge = getOrCreateGauge(registry, {
      name: 'keel_payment_backlog_payments',
      help: `Accepted payments not yet terminal, as last sampled (counted up to twice PAYMENT_MAX_PENDING_PAYMENTS).`,
    });
  }

  onApplicationBootstrap(): void {
    void this.sampleNow();
    this.timer = setInterval(() => void this.sampleNow(), this.environment.PAYMENT_BACKLOG_SAMPLE_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** The last successful sample, if any. */
  latest(): BacklogSample | undefined {
    return this.sample;
  }

  /** Takes one sample; runs never overlap, and a failure keeps the previous sample to age out. */
  sampleNow(): Promise<void> {
    this.running ??= this.read().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async read(): Promise<void> {
    const windowMs = this.environment.PAYMENT_COMPLETION_WINDOW_MS;
    try {
      const counts = await this.backlog.count(
        this.dataSource.manager,
        this.environment.PAYMENT_MAX_PENDING_PAYMENTS * 2,
        windowMs,
      );
      this.sample = {
        pendingPayments: counts.pendingPayments,
        completionsPerS: (counts.completedInWindow * 1_000) / windowMs,
        sampledAtMs: Date.now(),
      };
      this.backlogGauge.set(counts.pendingPayments);
      if (this.failing) this.logger.info('payment backlog sampling recovered');
      this.failing = false;
      this.logger.debug(this.sample, 'payment backlog sampled');
    } catch (error) {
      // Once per failure streak: at four samples a second, every failure would flood the log.
      if (!this.failing) {
        this.logger.warn(
          { err: error },
          'payment backlog sampling failed; once the last sample ages out, the backlog limit is off',
        );
      }
      this.failing = true;
    }
  }
}
