import { Module, type DynamicModule } from '@nestjs/common';
import { KeelServiceModule } from '@keel/platform';
import type { ReconciliationEnvironment } from './reconciliation.environment';
import { RECONCILIATION_MIGRATIONS } from './migrations/reconciliation-migrations';
import { KEEL_VIEW_CONTROLLERS, KEEL_VIEW_TOPICS, keelViewProviders } from './keel-view/keel-view.providers';

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
        consumes: KEEL_VIEW_TOPICS,
      }),
    ],
    controllers: [...KEEL_VIEW_CONTROLLERS],
    providers: [...keelViewProviders(environment)],
  };
}
