import { DEFAULT_KAFKA_CLIENT_KIND, parseKafkaClientKind, type KafkaClientKind } from '@keel/messaging';
import { numberSetting } from './drill';

/** The sustained maximum the last `npm run bench` measured (docs/benchmarks/throughput-latency.md). */
export const BENCH_SUSTAINED_MAX_PER_S = 50.6;

/** Everything that sizes the restart drill; each from its environment variable, with a default. */
export interface RestartDrillSettings {
  /** DRILL_RATE_PER_S: open-loop checkouts a second for the whole drill; half the bench's maximum. */
  readonly ratePerSecond: number;
  /**
   * DRILL_PAYMENT_INSTANCES: payment instances behind the readiness-aware balancer, as production
   * runs at least two behind a Service; with one, nothing answers while it restarts.
   */
  readonly paymentInstances: number;
  /** DRILL_SETTLE_S: quiet traffic before the first step, between steps and after the last. */
  readonly settleS: number;
  /** DRILL_KILL_DOWN_S: how long a killed service stays down before it is started again. */
  readonly killDownS: number;
  /** DRILL_WINDOW_AFTER_BACK_S: a step's checkouts are those sent from its signal until this long after it is back. */
  readonly windowAfterBackS: number;
  /** DRILL_STOP_GRACE_S: how long a SIGTERM may take before the drill sends SIGKILL. */
  readonly stopGraceS: number;
  /** DRILL_CONSUMER_WAIT_S: how long to wait for a consumer to hold partitions and apply again. */
  readonly consumerWaitS: number;
  /** DRILL_TERMINAL_WAIT_S: how long to wait for every accepted payment to be terminal. */
  readonly terminalWaitS: number;
  /** DRILL_QUIESCENCE_TIMEOUT_S: the settle wait before the invariants are checked. */
  readonly quiescenceTimeoutS: number;
  /** DRILL_TERMINAL_BOUND_S: invariant I7's bound after the last fault (the chaos profiles' 120 s). */
  readonly terminalBoundS: number;
  /** DRILL_TRAFFIC_MAX_S: traffic never runs longer than this, whatever the steps take. */
  readonly trafficMaxS: number;
  /** KAFKA_CLIENT, passed to every service. */
  readonly kafkaClient: KafkaClientKind;
  /** DRILL_REPORT_SUFFIX: `restart-drill.<suffix>.md`; by default the client's name unless it is the default. */
  readonly reportSuffix: string;
}

const REPORT_SUFFIX_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

function kafkaClientOf(environment: NodeJS.ProcessEnv): KafkaClientKind {
  const raw = environment['KAFKA_CLIENT'];
  return raw === undefined || raw === '' ? DEFAULT_KAFKA_CLIENT_KIND : parseKafkaClientKind(raw);
}

function reportSuffixOf(environment: NodeJS.ProcessEnv, kafkaClient: KafkaClientKind): string {
  const raw = environment['DRILL_REPORT_SUFFIX'];
  if (raw === undefined) return kafkaClient === DEFAULT_KAFKA_CLIENT_KIND ? '' : kafkaClient;
  if (raw !== '' && !REPORT_SUFFIX_PATTERN.test(raw))
    throw new Error(`DRILL_REPORT_SUFFIX must be lower-case letters, digits and dashes, got "${raw}"`);
  return raw;
}

function instanceCount(name: string, fallback: number, environment: NodeJS.ProcessEnv): number {
  const count = numberSetting(name, fallback, environment);
  if (!Number.isInteger(count))
    throw new Error(`${name} must be a whole number ≥ 1, got "${environment[name]}"`);
  return count;
}

/** The drill's settings from the environment; a malformed value stops the run before anything starts. */
export function restartDrillSettings(environment: NodeJS.ProcessEnv = process.env): RestartDrillSettings {
  const setting = (name: string, fallback: number): number => numberSetting(name, fallback, environment);
  const kafkaClient = kafkaClientOf(environment);
  return {
    ratePerSecond: setting('DRILL_RATE_PER_S', 25),
    paymentInstances: instanceCount('DRILL_PAYMENT_INSTANCES', 2, environment),
    settleS: setting('DRILL_SETTLE_S', 10),
    killDownS: setting('DRILL_KILL_DOWN_S', 10),
    windowAfterBackS: setting('DRILL_WINDOW_AFTER_BACK_S', 15),
    stopGraceS: setting('DRILL_STOP_GRACE_S', 30),
    consumerWaitS: setting('DRILL_CONSUMER_WAIT_S', 60),
    terminalWaitS: setting('DRILL_TERMINAL_WAIT_S', 120),
    quiescenceTimeoutS: setting('DRILL_QUIESCENCE_TIMEOUT_S', 180),
    terminalBoundS: setting('DRILL_TERMINAL_BOUND_S', 120),
    trafficMaxS: setting('DRILL_TRAFFIC_MAX_S', 3_600),
    kafkaClient,
    reportSuffix: reportSuffixOf(environment, kafkaClient),
  };
}

export function restartDrillReportFile(settings: RestartDrillSettings): string {
  return settings.reportSuffix === '' ? 'restart-drill.md' : `restart-drill.${settings.reportSuffix}.md`;
}
