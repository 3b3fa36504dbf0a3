import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PAYMENT_METHOD_TYPES, type PaymentMethodType } from '@keel/contracts';
import { PspConnectorRegistry } from '@keel/executor-connectors';
import {
  isMethodAvailable,
  routesFor,
  selectPsp,
  type PspRoute,
  type PspSelection,
} from '@keel/executor-domain';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { PeriodicTask } from '@keel/platform';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from '../executor.settings';
import type { PaymentOrder } from '../payment-order/payment-order.record';
import { PspBreakerRegistry } from '../resilience/psp-breaker-registry.service';
import { PspHealthEventsService } from '../resilience/psp-health-events.service';
import { PspRouteRepository } from './psp-route.repository';

/** What routing reads of an order: a new one has no PSP and no attempts yet. */
export type RoutableOrder = Pick<PaymentOrder, 'methodType' | 'methodProvider' | 'attempts'> &
  Partial<Pick<PaymentOrder, 'pspId' | 'statusReason'>>;

/**
 * The routing table as the executor sees it: psp_routes, re-read every ROUTING_REFRESH_MS so that
 * a change applies without a restart, combined with the breakers' view of each PSP. It also tells
 * the payment service when a method has no PSP left (back-pressure) and when it has one again.
 */
@Injectable()
export class PspRoutingService implements OnApplicationBootstrap, OnModuleDestroy {
  private routes: readonly PspRoute[] = [];
  private readonly availability = new Map<PaymentMethodType, boolean>();
  private readonly rereading: PeriodicTask;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: PspRouteRepository,
    private readonly breakers: PspBreakerRegistry,
    private readonly connectors: PspConnectorRegistry,
    private readonly events: PspHealthEventsService,
    @Inject(EXECUTOR_SETTINGS) settings: ExecutorSettings,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {
    this.rereading = new PeriodicTask(
      {
        name: 'psp-routes-reread',
        intervalMs: settings.routingRefreshMs,
        failureMessage: 'could not re-read psp_routes',
        failureLevel: 'error',
      },
      () => this.refresh(),
      logger,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.breakers.onTransition(() => this.publishAvailabilityChanges());
    this.rereading.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.rereading.stop();
  }

  current(): readonly PspRoute[] {
    return this.routes;
  }

  async refresh(): Promise<void> {
    this.routes = await this.repository.list(this.dataSource.manager);
    this.publishAvailabilityChanges();
  }

  /**
   * The PSP for the order's next charge. An order that was charged before is in `created` only
   * when its PSP certainly holds no charge (refused, or an inquiry found none), which is the proof
   * that lets it move to another PSP under the same idempotency key.
   */
  select(order: RoutableOrder): PspSelection {
    const previous =
      order.pspId !== undefined && order.attempts > 0
        ? { pspId: order.pspId, proof: order.statusReason ?? 'certainly not charged' }
        : undefined;
    return selectPsp({
      methodType: order.methodType,
      provider: order.methodProvider,
      routes: this.routes,
      unavailableReason: (pspId) => this.unavailableReason(pspId, order.methodType),
      ...(previous === undefined ? {} : { previous }),
    });
  }

  /** Whether another PSP than `pspId` could take the order's charge right now. */
  hasAlternative(order: PaymentOrder, pspId: string): boolean {
    return routesFor(this.routes, order.methodType, order.methodProvider).some(
      (route) => route.pspId !== pspId && this.unavailableReason(route.pspId, order.methodType) === undefined,
    );
  }

  private unavailableReason(pspId: string, methodType: PaymentMethodType): string | undefined {
    if (!this.connectors.has(pspId)) return 'not_connected';
    return this.breakers.unavailableReason(pspId, methodType);
  }

  /** Methods without any route are not reported: they were never available to begin with. */
  private publishAvailabilityChanges(): void {
    for (const methodType of PAYMENT_METHOD_TYPES) {
      if (!this.routes.some((route) => route.methodType === methodType)) continue;
      const available = isMethodAvailable(this.routes, methodType, (pspId) =>
        this.unavailableReason(pspId, methodType),
      );
      if ((this.availability.get(methodType) ?? true) === available) continue;
      this.availability.set(methodType, available);
      const changedAt = new Date().toISOString();
      this.logger.warn({ methodType, available }, 'payment method availability changed');
      this.events.methodAvailabilityChanged(
        available
          ? { paymentMethodType: methodType, available, changedAt }
          : {
              paymentMethodType: methodType,
              available,
              retryAfterSeconds: Math.max(1, Math.ceil(this.breakers.resetTimeoutMs / 1_000)),
              changedAt,
            },
      );
    }
  }
}
