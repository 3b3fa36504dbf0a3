import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import {
  mergeStatuses,
  methodOffers,
  methodTypesFor,
  parseMethodsByCurrency,
  PAYMENT_METHOD_TYPES,
  refusalOf,
  type MethodsByCurrency,
  type MethodStatus,
  type PaymentMethodOffer,
} from '@keel/payment-domain';
import { PeriodicTask } from '@keel/platform';
import { PaymentProblem, PaymentProblemCode } from '../payment.errors';
import type { PaymentEnvironment } from '../payment.environment';
import { PAYMENT_ENVIRONMENT } from '../payment.settings';
import { MethodAvailabilityService } from './method-availability.service';
import { MethodStatusRepository } from './method-status.repository';

/**
 * Which payment methods buyers may use: ops' switches (methods and providers switched off with a
 * notice), the executor's availability and the methods offered per currency. Reads memory only,
 * fed like MethodAvailabilityService's: this process's consumer's commits, and the whole table
 * before the service takes requests and every METHOD_AVAILABILITY_REFRESH_MS, which keeps several
 * instances (each consuming only its partitions) in step.
 */
@Injectable()
export class MethodStatusService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly known = new Map<string, MethodStatus>();
  private readonly offered: MethodsByCurrency;
  private readonly refreshing: PeriodicTask;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: MethodStatusRepository,
    private readonly availability: MethodAvailabilityService,
    @Inject(PAYMENT_ENVIRONMENT) environment: PaymentEnvironment,
    @Inject(OBSERVABILITY_LOGGER) logger: Logger,
  ) {
    this.offered = parseMethodsByCurrency(environment.PAYMENT_METHODS_BY_CURRENCY, PAYMENT_METHOD_TYPES);
    this.refreshing = new PeriodicTask(
      {
        name: 'method-status-refresh',
        intervalMs: environment.METHOD_AVAILABILITY_REFRESH_MS,
        failureMessage: 'method status refresh failed; keeping the last known',
      },
      async () => mergeStatuses(this.known, await this.repository.findAll(this.dataSource.manager)),
      logger,
    );
  }

  /** The first read is awaited: a process must not accept a provider the table switches off. */
  async onApplicationBootstrap(): Promise<void> {
    mergeStatuses(this.known, await this.repository.findAll(this.dataSource.manager));
    this.refreshing.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.refreshing.stop();
  }

  /** Applies changes that have committed to the table. */
  apply(changes: readonly MethodStatus[]): void {
    mergeStatuses(this.known, changes);
  }

  /** What a checkout page shows for a currency: each method type offered, and what is off. */
  offersFor(currency: string): PaymentMethodOffer[] {
    return methodOffers(
      methodTypesFor(this.offered, currency, PAYMENT_METHOD_TYPES),
      this.known,
      (methodType) => this.availability.unavailability(methodType),
    );
  }

  /**
   * Refuses a method not offered in the currency, or switched off by ops (with its notice), or
   * probed by ops with this payment outside the share admitted (as if switched off): 422 all.
   * `admissionKey` names the payment: asking again for it gets the same answer.
   */
  assertPayable(methodType: string, provider: string, currency: string, admissionKey: string): void {
    if (!methodTypesFor(this.offered, currency, PAYMENT_METHOD_TYPES).includes(methodType)) {
      throw new PaymentProblem(
        PaymentProblemCode.InvalidPayment,
        `${methodType} payments are not offered in ${currency}; GET /v1/payment-methods lists those that are`,
      );
    }
    const off = refusalOf(this.known, methodType, provider, admissionKey);
    if (off === undefined) return;
    const what = off.provider === '*' ? methodType : `${methodType} by ${provider}`;
    throw new PaymentProblem(
      PaymentProblemCode.MethodSwitchedOff,
      off.notice ?? `${what} cannot be used right now; please choose another payment method`,
      {
        paymentMethodType: methodType,
        provider: off.provider,
        ...(off.notice === undefined ? {} : { notice: off.notice }),
      },
    );
  }
}
