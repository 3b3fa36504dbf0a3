import { Module, type DynamicModule } from '@nestjs/common';
import { KeelServiceModule, type ServiceEnvironment } from '@keel/platform';

@Module({})
export class PaymentModule {}

/** The payment service: the merchant-facing API (checkouts, payments, refunds), the event-sourced payment aggregate, the risk check and the payment saga. */
export function paymentModule(environment: ServiceEnvironment): DynamicModule {
  return {
    module: PaymentModule,
    imports: [KeelServiceModule.forRoot({ service: 'payment', environment })],
  };
}
