import { Module, type DynamicModule } from '@nestjs/common';
import type { OpsEnvironment } from '../ops.environment';
import { StatusPageController } from './status-page.controller';
import { StatusPageRepository } from './status-page.repository';
import { STATUS_PAGE_SETTINGS, StatusPageService, type StatusPageSettings } from './status-page.service';

export function statusPageSettingsOf(environment: OpsEnvironment): StatusPageSettings {
  return {
    cacheMs: environment.OPS_STATUS_CACHE_MS,
    historyDays: environment.OPS_STATUS_HISTORY_DAYS,
    incidentsMax: environment.OPS_STATUS_INCIDENTS_MAX,
    updatesMax: environment.OPS_STATUS_UPDATES_MAX,
    switchedOffMax: environment.OPS_STATUS_SWITCHED_OFF_MAX,
  };
}

/** The public status page (`GET /status`, `GET /status.json`) over ops' incidents and method statuses. */
@Module({})
export class StatusPageModule {
  static forRoot(environment: OpsEnvironment): DynamicModule {
    return {
      module: StatusPageModule,
      controllers: [StatusPageController],
      providers: [
        { provide: STATUS_PAGE_SETTINGS, useValue: statusPageSettingsOf(environment) },
        StatusPageRepository,
        StatusPageService,
      ],
    };
  }
}
