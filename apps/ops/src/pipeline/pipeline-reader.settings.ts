import type { OperatorTokenSettings } from '@keel/operator-auth';
import type { PipelineTarget } from './pipeline-targets';

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
