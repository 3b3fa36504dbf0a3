import type { Provider } from '@nestjs/common';
import { operatorTokenSettingsOf } from '@keel/platform';
import { DETECTION_INTERVAL_MS } from './detection/detection-loop.service';
import { WINDOW_HORIZON_MS } from './detection/detection-rules.service';
import { PAGE_SIZE_MAX } from './http/routing.controller';
import type { OpsEnvironment } from './ops.environment';
import type { PipelineReaderSettings } from './pipeline/pipeline-reader.settings';
import { parsePipelineTargets } from './pipeline/pipeline-targets';
import { AUTOMATIC_RESPONSE_SETTINGS, type AutomaticResponseSettings } from './response/automatic-response';
import { ExecutorRoutesClient } from './routing/executor-routes.client';
import { OPS_SIGNALS, OpsSignals } from './signals/ops-signals';

/** What buyers are told about a provider automation switched off. */
export function automaticNoticeOf(template: string): AutomaticResponseSettings['noticeOf'] {
  return (_methodType, provider) => template.replaceAll('{provider}', provider);
}

/** Which services ops reads for the pipeline-lag rules, and how hard. */
export function pipelineReaderSettingsOf(environment: OpsEnvironment): PipelineReaderSettings {
  return {
    // OpsEnvironment has refused the value at boot if it has problems.
    targets: parsePipelineTargets(environment.OPS_PIPELINE_TARGETS).targets,
    intervalMs: environment.OPS_PIPELINE_SCRAPE_INTERVAL_MS,
    timeoutMs: environment.OPS_PIPELINE_SCRAPE_TIMEOUT_MS,
    responseBytesMax: environment.OPS_PIPELINE_RESPONSE_BYTES_MAX,
    tokens: operatorTokenSettingsOf(environment),
  };
}

/** Every limit of detection, routing control and the API, from OpsEnvironment. */
export function opsSettingsProviders(environment: OpsEnvironment): Provider[] {
  const automaticResponse: AutomaticResponseSettings = {
    probeAfterMs: environment.OPS_PROBE_AFTER_MS,
    probePeriodMs: environment.OPS_PROBE_PERIOD_MS,
    probe: {
      weightShare: environment.OPS_PROBE_WEIGHT_PERCENT / 100,
      admittedPercent: environment.OPS_PROBE_ADMITTED_PERCENT,
    },
    noticeOf: automaticNoticeOf(environment.OPS_AUTOMATIC_NOTICE),
  };
  return [
    {
      provide: OPS_SIGNALS,
      useValue: new OpsSignals({
        bucketMs: environment.OPS_WINDOW_BUCKET_MS,
        horizonMs: environment.OPS_WINDOW_HORIZON_MS,
        distinctErrorsMax: environment.OPS_WINDOW_DISTINCT_ERRORS_MAX,
        scopesMax: environment.OPS_WINDOW_SCOPES_MAX,
      }),
    },
    {
      provide: ExecutorRoutesClient,
      useValue: new ExecutorRoutesClient({
        baseUrl: environment.OPS_EXECUTOR_URL.replace(/\/+$/, ''),
        timeoutMs: environment.OPS_EXECUTOR_TIMEOUT_MS,
        tokens: operatorTokenSettingsOf(environment),
      }),
    },
    { provide: AUTOMATIC_RESPONSE_SETTINGS, useValue: automaticResponse },
    { provide: DETECTION_INTERVAL_MS, useValue: environment.OPS_DETECTION_INTERVAL_MS },
    { provide: WINDOW_HORIZON_MS, useValue: environment.OPS_WINDOW_HORIZON_MS },
    { provide: PAGE_SIZE_MAX, useValue: environment.OPS_PAGE_SIZE_MAX },
  ];
}
