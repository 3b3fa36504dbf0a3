import { Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@keel/contracts';
import { KeelServiceModule } from '@keel/platform';
import { IncidentNotifier } from './alerting/incident-notifier';
import {
  INCIDENT_NOTIFIER_SETTINGS,
  incidentNotifierSettingsOf,
} from './alerting/incident-notifier.settings';
import { DetectionLoop } from './detection/detection-loop.service';
import { DetectionRuleRepository } from './detection/detection-rule.repository';
import { DetectionRules } from './detection/detection-rules.service';
import { DetectionRulesController } from './http/detection-rules.controller';
import { IncidentsController } from './http/incidents.controller';
import { RoutingController } from './http/routing.controller';
import { IncidentRepository } from './incidents/incident.repository';
import { Incidents } from './incidents/incidents.service';
import type { OpsEnvironment } from './ops.environment';
import { opsSettingsProviders, pipelineReaderSettingsOf } from './ops.settings';
import { OPS_MIGRATIONS } from './migrations/ops-migrations';
import { PipelineReader } from './pipeline/pipeline-reader';
import { PIPELINE_READER_SETTINGS } from './pipeline/pipeline-reader.settings';
import { AutomaticResponse } from './response/automatic-response';
import { RoutingControl } from './routing/routing-control.service';
import { RoutingStateRepository } from './routing/routing-state.repository';
import { PspSignalsConsumer } from './signals/psp-signals.consumer';
import { StatusPageModule } from './status-page/status-page.module';

@Module({})
export class OpsModule {}

/** The ops service: outage detection rules, incidents, routing control, alerting and the audited back-office API. */
export function opsModule(environment: OpsEnvironment): DynamicModule {
  return {
    module: OpsModule,
    imports: [
      KeelServiceModule.forRoot({
        service: 'ops',
        environment,
        migrations: OPS_MIGRATIONS,
        consumes: [TOPICS.psp],
      }),
      StatusPageModule.forRoot(environment),
    ],
    controllers: [PspSignalsConsumer, DetectionRulesController, RoutingController, IncidentsController],
    providers: [
      ...opsSettingsProviders(environment),
      { provide: INCIDENT_NOTIFIER_SETTINGS, useValue: incidentNotifierSettingsOf(environment) },
      IncidentNotifier,
      { provide: PIPELINE_READER_SETTINGS, useValue: pipelineReaderSettingsOf(environment) },
      PipelineReader,
      DetectionRuleRepository,
      DetectionRules,
      DetectionLoop,
      IncidentRepository,
      Incidents,
      AutomaticResponse,
      RoutingStateRepository,
      RoutingControl,
    ],
  };
}
