import { Module, type DynamicModule } from '@nestjs/common';
import { KeelServiceModule, type ServiceEnvironment } from '@keel/platform';

@Module({})
export class OpsModule {}

/** The ops service: outage detection rules, incidents, routing control, the status page and the audited back-office API. */
export function opsModule(environment: ServiceEnvironment): DynamicModule {
  return {
    module: OpsModule,
    imports: [KeelServiceModule.forRoot({ service: 'ops', environment })],
  };
}
