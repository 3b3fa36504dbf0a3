import { Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@keel/contracts';
import { createPspConnectors, PspConnectorRegistry } from '@keel/executor-connectors';
import { KeelServiceModule } from '@keel/platform';
import type { ExecutorEnvironment } from './executor.environment';
import { EXECUTOR_SETTINGS, executorSettingsOf } from './executor.settings';
import { ChargeOutcomeWriter } from './execution/charge-outcome-writer.service';
import { ExecutorMetrics } from './execution/executor.metrics';
import { LeaseTakeBackService } from './execution/lease-take-back.service';
import { PaymentOrderIntakeService } from './execution/payment-order-intake.service';
import { PaymentOrderOutcomeService } from './execution/payment-order-outcome.service';
import { PaymentOrderResolverService } from './execution/payment-order-resolver.service';
import { PaymentOrderWorkerService } from './execution/payment-order-worker.service';
import { PspConnectorShutdownService } from './execution/psp-connector-shutdown.service';
import { UnknownOutcomeOverdueService } from './execution/unknown-outcome-overdue.service';
import { EXECUTOR_MIGRATIONS } from './migrations/1763900100000-create-payment-orders.migration';
import { PaymentOrderAttemptRepository } from './payment-order/payment-order-attempt.repository';
import { PaymentOrderBatchRepository } from './payment-order/payment-order-batch.repository';
import { PaymentOrderQueryService } from './payment-order/payment-order-query.service';
import { PaymentOrderConsumer } from './execution/payment-order.consumer';
import { PaymentOrderController } from './payment-order/payment-order.controller';
import { PaymentOrderRepository } from './payment-order/payment-order.repository';
import { CreatePspRoutes1763900300000 } from './migrations/1763900300000-create-psp-routes.migration';
import { BreakerMetrics } from './resilience/breaker.metrics';
import { PspBreakerRegistry } from './resilience/psp-breaker-registry.service';
import { PspHealthEventsService } from './resilience/psp-health-events.service';
import { PspRouteRepository } from './routing/psp-route.repository';
import { PspRoutesController } from './routing/psp-routes.controller';
import { PspRoutingService } from './routing/psp-routing.service';
import { CreateWebhookAndOrphanTables1763900900000 } from './migrations/1763900900000-create-webhook-and-orphan-tables.migration';
import { AddUnknownOverdue1763901000000 } from './migrations/1763901000000-add-unknown-overdue.migration';
import { AddLeaseHolder1764200000000 } from './migrations/1764200000000-add-lease-holder.migration';
import { AddPlatformFee1764300000000 } from './migrations/1764300000000-add-platform-fee.migration';
import { AddOrphanChargeReason1764400000000 } from './migrations/1764400000000-add-orphan-charge-reason.migration';
import { CreateOperatorAudit1765000000000 } from './migrations/1765000000000-create-operator-audit.migration';
import { AddSettlementOrphanReason1766400000000 } from './migrations/1766400000000-add-settlement-orphan-reason.migration';
import { OrphanChargeRepository } from './orphan/orphan-charge.repository';
import { OrphanChargeService } from './orphan/orphan-charge.service';
import { OrphanRefundService } from './orphan/orphan-refund.service';
import { ORPHAN_REFUND_SETTINGS, orphanRefundSettingsOf } from './orphan/orphan-refund.settings';
import { SettlementRefundConsumer } from './orphan/settlement-refund.consumer';
import { SettlementRefundService } from './orphan/settlement-refund.service';
import { PspWebhookEventRepository } from './webhook/psp-webhook-event.repository';
import { PSP_WEBHOOK_BODY_LIMIT_BYTES, PspWebhookRawBodyInstaller } from './webhook/psp-webhook-raw-body';
import { PspWebhookWriter } from './webhook/psp-webhook-writer.service';
import { PspWebhookController } from './webhook/psp-webhook.controller';
import { PspWebhookService } from './webhook/psp-webhook.service';

@Module({})
export class ExecutorModule {}

/**
 * The executor service: stores the payment orders it is asked to execute, charges each through
 * the PSP connector of its method (the payment order id is the idempotency key), resolves unknown
 * outcomes by inquiry, and publishes how each order ended.
 */
export function executorModule(environment: ExecutorEnvironment): DynamicModule {
  const settings = executorSettingsOf(environment);
  return {
    module: ExecutorModule,
    imports: [
      KeelServiceModule.forRoot({
        service: 'executor',
        environment,
        migrations: [
          ...EXECUTOR_MIGRATIONS,
          CreatePspRoutes1763900300000,
          CreateWebhookAndOrphanTables1763900900000,
          AddUnknownOverdue1763901000000,
          AddLeaseHolder1764200000000,
          AddPlatformFee1764300000000,
          AddOrphanChargeReason1764400000000,
          CreateOperatorAudit1765000000000,
          AddSettlementOrphanReason1766400000000,
        ],
        // Reconciliation's topic for its refund requests (orphan_refund_requested) only.
        consumes: [TOPICS.paymentOrder, TOPICS.reconciliation],
      }),
    ],
    controllers: [
      PaymentOrderController,
      PaymentOrderConsumer,
      PspRoutesController,
      PspWebhookController,
      SettlementRefundConsumer,
    ],
    providers: [
      { provide: EXECUTOR_SETTINGS, useValue: settings },
      { provide: PspConnectorRegistry, useValue: createPspConnectors(settings.connectors) },
      PspConnectorShutdownService,
      ExecutorMetrics,
      PaymentOrderRepository,
      PaymentOrderAttemptRepository,
      PaymentOrderBatchRepository,
      PaymentOrderIntakeService,
      ChargeOutcomeWriter,
      PaymentOrderQueryService,
      PaymentOrderOutcomeService,
      PaymentOrderWorkerService,
      PaymentOrderResolverService,
      LeaseTakeBackService,
      UnknownOutcomeOverdueService,
      BreakerMetrics,
      PspHealthEventsService,
      PspBreakerRegistry,
      PspRouteRepository,
      PspRoutingService,
      { provide: ORPHAN_REFUND_SETTINGS, useValue: orphanRefundSettingsOf(environment) },
      { provide: PSP_WEBHOOK_BODY_LIMIT_BYTES, useValue: environment.HTTP_BODY_LIMIT_BYTES },
      PspWebhookRawBodyInstaller,
      PspWebhookEventRepository,
      PspWebhookWriter,
      PspWebhookService,
      OrphanChargeRepository,
      OrphanChargeService,
      OrphanRefundService,
      SettlementRefundService,
    ],
  };
}
