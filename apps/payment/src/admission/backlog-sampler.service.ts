import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { getOrCreateGauge, OBSERVABILITY_LOGGER, Registry, type Logger } from '@keel/observability';
import { PeriodicTask } from '@keel/platform';
import {
  chargedPaymentsPerS,
  chargeOutcomesCap,
  estimatedChargeWaitS,
  type ChargeBacklogSample,
  type ChargeRateWindow,
} from '@keel/payment-domain';
import { PAYMENT_ENVIRONMENT } from '../payment.settings';
import type { PaymentEnvironment } from '../payment.environment';
import { PaymentBacklogRepository } from './payment-backlog.repository';

/**
 * Reads the charge backlog every PAYMENT_BACKLOG_SAMPLE_MS, so admission decides from memory and a
 * create request costs no extra query. The counts come from the order projection and the event
 * store, which the saga writes in the same transaction as each charge outcome: they stay right
 * across restarts and replicas, where an in-process counter would drift.
 */
@Injectable()
export class BacklogSampler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly sampling: PeriodicTask;
  private sample: ChargeBacklogSample | undefined;
  private failing = false;
  private readonly rateWindow: ChargeRateWindow;
  private readonly backlogGauge: Gauge;
  private readonly waitGauge: Gauge;

  constructor(
    private readonly dataSource: DataSource,
    private readonly backlog: PaymentBacklogRepository,
    @Inject(PAYMENT_ENVIRONMENT) private readonly environment: PaymentEnvironment,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
    registry: Registry,
  ) {
    this.rateWindow = {
      windowMs: environment.PAYMENT_CHARGE_RATE_WINDOW_MS,
      outcomesCap: chargeOutcomesCap(
        environment.PAYMENT_MAX_PENDING_PAYMENTS,
        environment.PAYMENT_CHARGE_RATE_WINDOW_MS,
        environment.PAYMENT_MAX_CHARGE_WAIT_MS,
      ),
    };
    this.backlogGauge = getOrCreateGauge(registry, {
      name: 'keel_payment_backlog_payments',
      help: `Accepted payments waiting for the executor's charge outcome, as last sampled (counted up to twice PAYMENT_MAX_PENDING_PAYMENTS); wallet and ledger confirmations do not count.`,
    });
    this.waitGauge = getOrCreateGauge(registry, {
      name: 'keel_payment_admission_wait_seconds',
      help: `Estimated wait for its charge of a payment admitted now (charge backlog / recent charge rate), as last sampled; +Inf while payments wait and none got an outcome within PAYMENT_CHARGE_RATE_WINDOW_MS.`,
    });
    // read() logs its own failures, once per streak; the task's message is never reached.
    this.sampling = new PeriodicTask(
      {
        name: 'charge-backlog-sample',
        intervalMs: environment.PAYMENT_BACKLOG_SAMPLE_MS,
        failureMessage: 'charge backlog sampling failed',
      },
      () => this.read(),
      logger,
    );
  }

  onApplicationBootstrap(): void {
    void this.sampleNow();
    this.sampling.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.sampling.stop();
  }

  /** The last successful sample, if any. */
  latest(): ChargeBacklogSample | undefined {
    return this.sample;
  }

  /** Takes one sample; runs never overlap, and a failure keeps the previous sample to age out. */
  sampleNow(): Promise<void> {
    return this.sampling.runNow();
  }

  private async read(): Promise<void> {
    try {
      const counts = await this.backlog.count(this.dataSource.manager, {
        pendingCap: this.environment.PAYMENT_MAX_PENDING_PAYMENTS * 2,
        windowMs: this.rateWindow.windowMs,
        outcomesCap: this.rateWindow.outcomesCap,
      });
      this.sample = {
        pendingPayments: counts.pendingPayments,
        chargedPerS: chargedPaymentsPerS(counts.recent, this.rateWindow),
        oldestPendingAgeMs: counts.oldestPendingAgeMs,
        sampledAtMs: Date.now(),
      };
      this.backlogGauge.set(counts.pendingPayments);
      this.waitGauge.set(estimatedChargeWaitS(this.sample));
      if (this.failing) this.logger.info('charge backlog sampling recovered');
      this.failing = false;
      this.logger.debug(this.sample, 'charge backlog sampled');
    } catch (error) {
      // Once per failure streak: at four samples a second, every failure would flood the log.
      if (!this.failing) {
        this.logger.warn(
          { err: error },
          'charge backlog sampling failed; once the last sample ages out, the backlog limit is off',
        );
      }
      this.failing = true;
    }
  }
}
