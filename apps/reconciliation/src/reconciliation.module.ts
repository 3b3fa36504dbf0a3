import { Module, type DynamicModule } from '@nestjs/common';
import { KeelServiceModule } from '@keel/platform';
import type { ReconciliationEnvironment } from './reconciliation.environment';
import { RECONCILIATION_MIGRATIONS } from './migrations/reconciliation-migrations';

@Module({})
export class ReconciliationModule {}

/** The reconciliation service: settlement files, matching, discrepancies, automatic fixes and the three-way check. */
export function reconciliationModule(environment: ReconciliationEnvironment): DynamicModule {
  return {
    module: ReconciliationModule,
    imports: [
      KeelServiceModule.forRoot({
        service: 'reconciliation',
        environment,
        migrations: RECONCILIATION_MIGRATIONS,
      }),
    ],
  };
}
