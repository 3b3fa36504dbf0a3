import type { OperatorTokenSettings } from '@keel/operator-auth';
import { operatorTokenSettingsOf } from '@keel/platform';
import type { OpsEnvironment } from '../ops.environment';
import { parsePipelineTargets, type PipelineTarget } from './pipeline-targets';

/** Which services ops reads and how hard: every limit from OpsEnvironment. */
export interface PipelineReaderSettings {
  readonly targets: readonly PipelineTarget[];
  /** How often every target's /metrics is read. */
  readonly intervalMs: number;
  /** One read, from connecting to the answer's last byte. */
  readonly timeoutMs: number;
  /** The largest /metrics answer read; a larger one gives no reading. */
  readonly responseBytesMax: number;
  /** ops signs its own viewer credential for /metrics with them. */
  readonly tokens: OperatorTokenSettings;
}

/** Injection token of the PipelineReaderSettings read from the environment at boot. */
export const PIPELINE_READER_SETTINGS = Symbol('keel.ops.pipeline-reader-settings');

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
