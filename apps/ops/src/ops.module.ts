import { Module, type DynamicModule } from '@nestjs/common';
import { KeelServiceModule } from '@keel/platform';
import type { OpsEnvironment } from './ops.environment';
import { OPS_MIGRATIONS } from './migrations/ops-migrations';

@Module({})
export class OpsModule {}

/** The ops service: outage detection rules, incidents, routing control, the status page and the audited back-office API. */
export function opsModule(environment: OpsEnvironment): DynamicModule {
  return {
    module: OpsModule,
    imports: [KeelServiceModule.forRoot({ service: 'ops', environment, migrations: OPS_MIGRATIONS })],
  };
}
