import type { KeepUpCriteria } from './step-decision';

export interface BenchOptions {
  readonly quick: boolean;
  /** KAFKA_CLIENT for every service; the services' own default when undefined. */
  readonly kafkaClient?: string;
  /** Instances of each consumer service (executor, wallet, ledger). */
  readonly instances: number;
  /** One step at this rate instead of a ramp (the scaling run); else the baseline's sustained maximum. */
  readonly ratePerS?: number;
  readonly startRatePerS: number;
  readonly rateGrowthFactor: number;
  readonly stepsMax: number;
  readonly stepDurationS: number;
  /**
   * The overload step at twice the maximum outlasts the payment service's admission budget
   * (PAYMENT_MAX_CHARGE_WAIT_MS, 60 s): shedding starts only once a payment admitted now would wait
   * that long, so a shorter step would show none.
   */
  readonly overloadDurationS: number;
  readonly criteria: KeepUpCriteria;
  readonly pgbenchDurationS: number;
  readonly producerPerfRecords: number;
  /** Hard limit on one POST's wait for an answer. */
  readonly requestTimeoutMs: number;
  readonly drainTimeoutS: number;
}

const FULL: BenchOptions = {
  quick: false,
  instances: 1,
  startRatePerS: 10,
  rateGrowthFactor: 1.5,
  stepsMax: 10,
  stepDurationS: 30,
  overloadDurationS: 90,
  criteria: { completedShareMin: 0.9, e2eP99MsMax: 2_000, backlogGrowthSMax: 2 },
  pgbenchDurationS: 30,
  producerPerfRecords: 200_000,
  requestTimeoutMs: 10_000,
  drainTimeoutS: 120,
};

/** `--quick`: a smoke of every part in about three minutes. */
const QUICK_OVERRIDES: Partial<BenchOptions> = {
  quick: true,
  stepsMax: 4,
  stepDurationS: 10,
  overloadDurationS: 10,
  pgbenchDurationS: 10,
  producerPerfRecords: 50_000,
  drainTimeoutS: 60,
};

export const USAGE = `usage: npm run bench -- [--quick] [--kafka-client <name>] [--instances <n>] [--rate <payments/s>]
  [--start-rate <payments/s>] [--growth <factor>] [--steps <n>] [--step-seconds <s>]
  [--overload-seconds <s>]  [--e2e-p99-bound-ms <ms>] [--pgbench-seconds <s>] [--perf-records <n>] [--request-timeout-ms <ms>]
  [--drain-timeout-s <s>]`;

function positive(flag: string, raw: string | undefined, integer: boolean): number {
  const value = Number(raw);
  if (
    raw === undefined ||
    raw === '' ||
    !Number.isFinite(value) ||
    value <= 0 ||
    (integer && !Number.isInteger(value))
  )
    throw new Error(
      `${flag} needs a positive ${integer ? 'integer' : 'number'}, got "${raw ?? ''}"\n${USAGE}`,
    );
  return value;
}

/** Reads the command line; anything unknown or malformed is an error that names it. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  let options: BenchOptions = quick ? { ...FULL, ...QUICK_OVERRIDES } : FULL;
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index];
    if (flag === '--quick') continue;
    const value = argv[index + 1];
    index += 1;
    switch (flag) {
      case '--kafka-client':
        if (value === undefined || value.startsWith('--'))
          throw new Error(`--kafka-client needs a name\n${USAGE}`);
        options = { ...options, kafkaClient: value };
        break;
      case '--instances':
        options = { ...options, instances: positive(flag, value, true) };
        break;
      case '--rate':
        options = { ...options, ratePerS: positive(flag, value, false) };
        break;
      case '--start-rate':
        options = { ...options, startRatePerS: positive(flag, value, false) };
        break;
      case '--growth':
        if (positive(flag, value, false) <= 1) throw new Error(`--growth must be above 1, got ${value}`);
        options = { ...options, rateGrowthFactor: Number(value) };
        break;
      case '--steps':
        options = { ...options, stepsMax: positive(flag, value, true) };
        break;
      case '--step-seconds':
        options = { ...options, stepDurationS: positive(flag, value, false) };
        break;
      case '--overload-seconds':
        options = { ...options, overloadDurationS: positive(flag, value, false) };
        break;
      case '--e2e-p99-bound-ms':
        options = {
          ...options,
          criteria: { ...options.criteria, e2eP99MsMax: positive(flag, value, false) },
        };
        break;
      case '--pgbench-seconds':
        options = { ...options, pgbenchDurationS: positive(flag, value, true) };
        break;
      case '--perf-records':
        options = { ...options, producerPerfRecords: positive(flag, value, true) };
        break;
      case '--request-timeout-ms':
        options = { ...options, requestTimeoutMs: positive(flag, value, true) };
        break;
      case '--drain-timeout-s':
        options = { ...options, drainTimeoutS: positive(flag, value, false) };
        break;
      default:
        throw new Error(`unknown option "${flag}"\n${USAGE}`);
    }
  }
  return options;
}

/**
 * What a run is called in its report's file name: `throughput-latency.md` for the plain full run,
 * `throughput-latency-<variant>.md` for a quick smoke, another Kafka client, more instances or one
 * step at a fixed rate (the scaling run with more instances names its rate by its instances alone).
 */
export function variantName(options: BenchOptions): string | undefined {
  const parts = [
    options.kafkaClient === undefined || options.kafkaClient === 'kafkajs'
      ? undefined
      : `kafka-${options.kafkaClient}`,
    options.instances > 1 ? `instances-${options.instances}` : undefined,
    options.instances === 1 && options.ratePerS !== undefined ? `rate-${options.ratePerS}` : undefined,
    options.quick ? 'quick' : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? undefined : parts.join('-');
}
