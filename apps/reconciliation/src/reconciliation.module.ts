import { Module, type DynamicModule } from '@nestjs/common';
import { KeelServiceModule } from '@keel/platform';
import type { ReconciliationEnvironment } from './reconciliation.environment';
import { settlementRunSettingsOf } from './reconciliation.settings';
import { RECONCILIATION_MIGRATIONS } from './migrations/reconciliation-migrations';
import { automaticFixesProviders } from './fixes/automatic-fixes.providers';
import { KEEL_VIEW_CONTROLLERS, KEEL_VIEW_TOPICS, keelViewProviders } from './keel-view/keel-view.providers';
import { ReconciliationRunsController } from './http/reconciliation-runs.controller';
import { MATCHING_CONTROLLERS, matchingProviders } from './matching/matching.providers';
import { ReconciliationRunRepository } from './runs/reconciliation-run.repository';
import { RECONCILIATION_RUN_SETTINGS, ReconciliationRuns } from './runs/reconciliation-runs.service';
import { RUN_SCHEDULE_SETTINGS, RunSchedule } from './runs/run-schedule.service';
import {
  SETTLEMENT_DOWNLOAD_SETTINGS,
  SettlementDownloader,
} from './settlement/settlement-downloader.service';
import { SettlementFileRepository } from './settlement/settlement-file.repository';
import {
  SETTLEMENT_INGESTION_SETTINGS,
  SettlementIngestion,
} from './settlement/settlement-ingestion.service';
import { SettlementRowRepository } from './settlement/settlement-row.repository';

@Module({})
export class ReconciliationModule {}

/** The reconciliation service: settlement files, matching, discrepancies, automatic fixes and the three-way check. */
export function reconciliationModule(environment: ReconciliationEnvironment): DynamicModule {
  const settlement = settlementRunSettingsOf(environment);
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
    controllers: [...KEEL_VIEW_CONTROLLERS, ReconciliationRunsController, ...MATCHING_CONTROLLERS],
    providers: [
      ...keelViewProviders(environment),
      { provide: SETTLEMENT_DOWNLOAD_SETTINGS, useValue: settlement.download },
      { provide: SETTLEMENT_INGESTION_SETTINGS, useValue: settlement.ingestion },
      { provide: RECONCILIATION_RUN_SETTINGS, useValue: settlement.runs },
      { provide: RUN_SCHEDULE_SETTINGS, useValue: settlement.schedule },
      ...matchingProviders(environment),
      ...automaticFixesProviders(environment),
      SettlementDownloader,
      SettlementFileRepository,
      SettlementRowRepository,
      SettlementIngestion,
      ReconciliationRunRepository,
      ReconciliationRuns,
      RunSchedule,
    ],
  };
}
