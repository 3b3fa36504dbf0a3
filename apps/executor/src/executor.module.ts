import { Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@keel/contracts';
import { createPspConnectors, PspConnectorRegistry } from '@keel/executor-connectors';
import { KeelServiceModule } from '@keel/platform';
import type { ExecutorEnvironment } from './executor.environment';
import { EXECUTOR_SETTINGS, executorSettingsOf } from './executor.settings';
import { ExecutorMetrics } from './execution/executor.metrics';
import { PaymentOrderOutcomeService } from './execution/payment-order-outcome.service';
import { PaymentOrderResolverService } from './execution/payment-order-resolver.service';
import { PaymentOrderWorkerService } from './execution/payment-order-worker.service';
import { EXECUTOR_MIGRATIONS } from './migrations/1763900100000-create-payment-orders.migration';
import { PaymentOrderAttemptRepository } from './payment-order/payment-order-attempt.repository';
import { PaymentOrderQueryService } from './payment-order/payment-order-query.service';
import { PaymentOrderConsumer } from './payment-order/payment-order.consumer';
import { PaymentOrderController } from './payment-order/payment-order.controller';
import { PaymentOrderRepository } from './payment-order/payment-order.repository';

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
        migrations: EXECUTOR_MIGRATIONS,
        consumes: [TOPICS.paymentOrder],
      }),
    ],
    controllers: [PaymentOrderController, PaymentOrderConsumer],
    providers: [
      { provide: EXECUTOR_SETTINGS, useValue: settings },
      { provide: PspConnectorRegistry, useValue: createPspConnectors(settings.connectors) },
      ExecutorMetrics,
      PaymentOrderRepository,
      PaymentOrderAttemptRepository,
      PaymentOrderQueryService,
      PaymentOrderOutcomeService,
      PaymentOrderWorkerService,
      PaymentOrderResolverService,
    ],
  };
}
