import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { mergeReports, type MethodReport } from '@keel/payment-domain';
import { PeriodicTask } from '@keel/platform';
import { PaymentProblem, PaymentProblemCode } from '../payment.errors';
import type { PaymentEnvironment } from '../payment.environment';
import { PAYMENT_ENVIRONMENT } from '../payment.settings';
import { MethodAvailabilityRepository } from './method-availability.repository';

/**
 * Back-pressure at intake: a payment for a method that no PSP can charge now is refused before
 * anything is stored, with a Retry-After, so the merchant can offer another method at once.
 *
 * The check reads memory only. What this process knows comes from two feeds: the reports its own
 * consumer commits (applied right after their commit), and a read of the whole table, once before
 * the service takes requests and then every METHOD_AVAILABILITY_REFRESH_MS in the background. The
 * table read is what keeps several instances in step: they share one consumer group, so each
 * consumes only its own partitions of keel.psp.v1 and sees only some of the reports; all of them
 * land in the shared table. An instance thus learns another's report within one refresh interval,
 * which the executor's breaker timings (seconds) dwarf; a per-instance consumer group would cost a
 * group per instance and still lag at start-up. Reports merge by their change time, so a table
 * read that began before a commit never undoes the newer report already applied.
 */
@Injectable()
export class MethodAvailabilityService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly known = new Map<string, MethodReport>();
  private readonly refreshing: PeriodicTask;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: MethodAvailabilityRepository,
    @Inject(PAYMENT_ENVIRONMENT) private readonly environment: PaymentEnvironment,
    @Inject(OBSERVABILITY_LOGGER) logger: Logger,
  ) {
    this.refreshing = new PeriodicTask(
      {
        name: 'method-availability-refresh',
        intervalMs: environment.METHOD_AVAILABILITY_REFRESH_MS,
        failureMessage: 'method availability refresh failed; keeping the last known reports',
      },
      async () => mergeReports(this.known, await this.repository.findAll(this.dataSource.manager)),
      logger,
    );
  }

  /** The first read is awaited: a process must not accept a method the table already refuses. */
  async onApplicationBootstrap(): Promise<void> {
    mergeReports(this.known, await this.repository.findAll(this.dataSource.manager));
    this.refreshing.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.refreshing.stop();
  }

  /** Applies reports that have committed to the table. */
  apply(reports: readonly MethodReport[]): void {
    mergeReports(this.known, reports);
  }

  /** Undefined while a PSP can charge the method; else the executor's retry estimate, if it gave one. */
  unavailability(methodType: string): { readonly retryAfterSeconds?: number } | undefined {
    const report = this.known.get(methodType);
    if (report === undefined || report.available) return undefined;
    return report.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: report.retryAfterSeconds };
  }

  assertAvailable(methodType: string): void {
    const report = this.known.get(methodType);
    if (report === undefined || report.available) return;
    const retryAfterS = report.retryAfterSeconds ?? this.environment.METHOD_UNAVAILABLE_RETRY_AFTER_S;
    throw new PaymentProblem(
      PaymentProblemCode.MethodUnavailable,
      `No payment service provider can take ${methodType} payments right now; retry later or use another method`,
      { paymentMethodType: methodType, retryAfterSeconds: retryAfterS },
      retryAfterS,
    );
  }
}
