import { Module, type DynamicModule } from '@nestjs/common';
import { KeelServiceModule, type ServiceEnvironment } from '@keel/platform';

@Module({})
export class ExecutorModule {}

/** The executor service: payment orders, PSP routing, circuit breakers, retries, unknown-outcome resolution, PSP webhooks and orphan-charge cancellation. */
export function executorModule(environment: ServiceEnvironment): DynamicModule {
  return {
    module: ExecutorModule,
    imports: [KeelServiceModule.forRoot({ service: 'executor', environment })],
  };
}
