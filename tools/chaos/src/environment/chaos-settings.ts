export interface ChaosEnvironmentSettings {
  /** The JVM heap of the chaos broker (`KEEL_CHAOS_KAFKA_HEAP`, e.g. `512m`). */
  readonly kafkaHeap: string;
  readonly kafkaStartTimeoutMs: number;
  readonly kafkaStopTimeoutMs: number;
  /** How long heal() waits for a process to be ready again. */
  readonly readyTimeoutMs: number;
  /** Starts of a process that keeps exiting while it starts, before heal() gives up. */
  readonly restartAttemptsMax: number;
}

function positiveInteger(environment: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = environment[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** The chaos environment's limits from the environment, each with a safe default; malformed values throw. */
export function chaosEnvironmentSettings(
  environment: NodeJS.ProcessEnv = process.env,
): ChaosEnvironmentSettings {
  const kafkaHeap = environment['KEEL_CHAOS_KAFKA_HEAP'] ?? '512m';
  if (!/^[1-9][0-9]*[mg]$/.test(kafkaHeap))
    throw new Error(`KEEL_CHAOS_KAFKA_HEAP must look like 512m or 1g, got "${kafkaHeap}"`);
  return {
    kafkaHeap,
    kafkaStartTimeoutMs: positiveInteger(environment, 'KEEL_CHAOS_KAFKA_START_TIMEOUT_MS', 90_000),
    kafkaStopTimeoutMs: positiveInteger(environment, 'KEEL_CHAOS_KAFKA_STOP_TIMEOUT_MS', 30_000),
    readyTimeoutMs: positiveInteger(environment, 'KEEL_CHAOS_READY_TIMEOUT_MS', 120_000),
    restartAttemptsMax: positiveInteger(environment, 'KEEL_CHAOS_RESTART_ATTEMPTS', 5),
  };
}
