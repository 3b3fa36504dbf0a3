import { Module, type DynamicModule } from '@nestjs/common';
import { KeelServiceModule, type ServiceEnvironment } from '@keel/platform';

@Module({})
export class ReconciliationModule {}

/** The reconciliation service: settlement-file ingestion, matching, discrepancies and automatic fixes. */
export function reconciliationModule(environment: ServiceEnvironment): DynamicModule {
  return {
    module: ReconciliationModule,
    imports: [KeelServiceModule.forRoot({ service: 'reconciliation', environment })],
  };
}
