import { DRILL_SCENARIOS, scenarioNamed, type DrillScenario } from './drill-scenarios';

/** A Keel already running (npm start, a staging system): where the drill reaches each part. */
export interface RunningSystem {
  readonly paymentUrl: string;
  readonly executorUrl: string;
  readonly opsUrl: string;
  readonly pspSimUrl: string;
  /** A merchant's API key on that system (`npm run keys`). */
  readonly apiKey: string;
  /** Its KAFKA_TOPIC_NAMESPACE ('' for none): where the orphan charge events are read. */
  readonly topicNamespace: string;
}

export interface DrillOptions {
  readonly scenario: DrillScenario;
  readonly ratePerSecond: number;
  readonly faultSeconds: number;
  /** Traffic before the fault (a baseline for the windows) and the longest wait for the recovery. */
  readonly warmupSeconds: number;
  readonly recoverySeconds: number;
  /** Write docs/drills/<scenario>.md and .json. */
  readonly report: boolean;
  /** Undefined: the drill starts an isolated system of its own. */
  readonly running?: RunningSystem;
}

export const DRILL_USAGE = [
  'usage: npm run drill -- <scenario> [--rate N] [--fault-seconds N] [--warmup-seconds N]',
  '         [--recovery-seconds N] [--report]',
  '         [--payment-url U --executor-url U --ops-url U --psp-sim-url U --api-key K [--topic-namespace NS]]',
  `scenarios: ${DRILL_SCENARIOS.map((scenario) => scenario.name).join(', ')}`,
  'Without URLs the drill starts infra and an isolated system of its own; --report writes docs/drills.',
].join('\n');

const NUMBER_FLAGS = ['--rate', '--fault-seconds', '--warmup-seconds', '--recovery-seconds'] as const;
const URL_FLAGS = ['--payment-url', '--executor-url', '--ops-url', '--psp-sim-url'] as const;
const TEXT_FLAGS = [...URL_FLAGS, '--api-key', '--topic-namespace'] as const;

const DEFAULT_WARMUP_SECONDS = 20;
const DEFAULT_RECOVERY_SECONDS = 240;

function positive(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${flag} must be a positive number, got "${raw}"`);
  return value;
}

function runningSystem(text: ReadonlyMap<string, string>): RunningSystem | undefined {
  const given = URL_FLAGS.filter((flag) => text.has(flag));
  if (given.length === 0 && !text.has('--api-key')) return undefined;
  const missing = [...URL_FLAGS, '--api-key'].filter((flag) => !text.has(flag));
  if (missing.length > 0) throw new Error(`a running system needs ${missing.join(', ')} as well`);
  for (const flag of URL_FLAGS) {
    const url = text.get(flag) ?? '';
    if (!/^https?:\/\/[^\s]+$/.test(url)) throw new Error(`${flag} must be an http(s) URL, got "${url}"`);
  }
  const url = (flag: (typeof URL_FLAGS)[number]) => (text.get(flag) ?? '').replace(/\/+$/, '');
  return {
    paymentUrl: url('--payment-url'),
    executorUrl: url('--executor-url'),
    opsUrl: url('--ops-url'),
    pspSimUrl: url('--psp-sim-url'),
    apiKey: text.get('--api-key') ?? '',
    topicNamespace: text.get('--topic-namespace') ?? '',
  };
}

/** The drill's command line; throws with the reason when it cannot be run as given. */
export function parseDrillArguments(argv: readonly string[]): DrillOptions {
  let scenarioName: string | undefined;
  let report = false;
  const numbers = new Map<string, number>();
  const text = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (argument === '--report') report = true;
    else if (
      (NUMBER_FLAGS as readonly string[]).includes(argument) ||
      (TEXT_FLAGS as readonly string[]).includes(argument)
    ) {
      const value = argv[index + 1];
      if (value === undefined) throw new Error(`${argument} needs a value`);
      index += 1;
      if ((NUMBER_FLAGS as readonly string[]).includes(argument))
        numbers.set(argument, positive(argument, value));
      else text.set(argument, value);
    } else if (argument.startsWith('--')) throw new Error(`unknown option ${argument}`);
    else if (scenarioName === undefined) scenarioName = argument;
    else throw new Error(`one scenario at a time, got "${scenarioName}" and "${argument}"`);
  }
  if (scenarioName === undefined) throw new Error('name a scenario');
  const scenario = scenarioNamed(scenarioName);
  if (scenario === undefined) throw new Error(`unknown scenario "${scenarioName}"`);
  const running = runningSystem(text);
  return {
    scenario,
    ratePerSecond: numbers.get('--rate') ?? scenario.defaultRatePerSecond,
    faultSeconds: numbers.get('--fault-seconds') ?? scenario.defaultFaultSeconds,
    warmupSeconds: numbers.get('--warmup-seconds') ?? DEFAULT_WARMUP_SECONDS,
    recoverySeconds: numbers.get('--recovery-seconds') ?? DEFAULT_RECOVERY_SECONDS,
    report,
    ...(running === undefined ? {} : { running }),
  };
}
