import { randomBytes } from 'node:crypto';
import { KEEL_SERVICES, PSP_IDS } from '@keel/local-system';
import { DEFAULT_KAFKA_TIMEOUTS, createKafkajsClient, namespacedTopic, silentLogger } from '@keel/messaging';
import { SeededRandom } from '@keel/seeded-random';
import { checkInvariants } from './checker/check-invariants';
import { collectFacts, type FactSources } from './checker/collect-facts';
import { invariantLine, type InvariantResult } from './checker/invariant-result';
import { waitForQuiescence, type QuiescenceOutcome, type QuiescenceSources } from './checker/quiescence';
import type { InjectedFault, ScheduledFault } from './faults/fault';
import { PLANTED_BUGS, type ChaosBreakName } from './planted-bugs';
import type { ChaosProfile } from './profiles';
import {
  startChaosEnvironment,
  type ChaosEnvironment,
  type ProcessCrash,
} from './environment/chaos-environment';
import { buildFaultSchedule } from './schedule/fault-schedule';
import type { CheckoutRecord } from './workload/checkout-client';
import { planCheckouts } from './workload/checkout-plan';
import { runWorkload } from './workload/workload';
import { paymentFigures } from './report/run-figures';
import type { KeelPayment } from './checker/chaos-facts';

export interface ChaosRunOptions {
  readonly profile: ChaosProfile;
  readonly seed: number;
  readonly breakName?: ChaosBreakName;
  /** Replaces the seeded schedule (the broken-build proof aims one fault class at one PSP). */
  readonly schedule?: readonly ScheduledFault[];
  readonly log: (line: string) => void;
  /** Stops the run early (SIGINT, SIGTERM): the run rejects once its environment is stopped. */
  readonly signal?: AbortSignal;
}

export interface ChaosRunOutcome {
  readonly startedAt: string;
  readonly endedAt: string;
  /** Payment API instances behind the balancer in this run. */
  readonly paymentInstances: number;
  readonly schedule: readonly ScheduledFault[];
  readonly injected: readonly InjectedFault[];
  readonly checkouts: readonly CheckoutRecord[];
  readonly payments: readonly KeelPayment[];
  readonly quiescence: QuiescenceOutcome;
  readonly results: readonly InvariantResult[];
  /** Share of checkouts accepted (method_unavailable refusals apart) and the profile's minimum. */
  readonly acceptance: { readonly share: number; readonly minShare: number; readonly met: boolean };
  /** Processes that exited on their own (not killed by a fault); each that had been ready fails the run. */
  readonly crashes: readonly ProcessCrash[];
  /** Every invariant holds, the acceptance share is met and no ready process crashed. */
  readonly passed: boolean;
}

/**
 * A charge-then-timeout becomes an unknown outcome well inside the client's patience, and the
 * executor's backoffs stay at most 10 s (default 60 s) so the system settles within CI's time
 * once the faults stop; the rules they drive are the same.
 */
const RUN_ENVIRONMENT: NodeJS.ProcessEnv = {
  PSP_TIMEOUT_MS: '2000',
  PSP_SIM_HANG_MS: '10000',
  EXECUTOR_RETRY_MAX_DELAY_MS: '10000',
  EXECUTOR_INQUIRY_MAX_DELAY_MS: '10000',
  EXECUTOR_ORPHAN_REFUND_RETRY_MAX_DELAY_MS: '10000',
};

async function trafficUnderFaults(
  environment: ChaosEnvironment,
  options: ChaosRunOptions,
  schedule: readonly ScheduledFault[],
): Promise<{ checkouts: CheckoutRecord[]; injected: InjectedFault[] }> {
  const plan = planCheckouts(new SeededRandom(options.seed).fork('workload'), options.profile.mix);
  options.log(
    `traffic: ${plan.length} checkouts over ${options.profile.trafficMs / 1_000} s, ${schedule.length} faults`,
  );
  const [checkouts, injected] = await Promise.all([
    runWorkload(
      environment.system.url('payment'),
      environment.system.keys(),
      plan,
      options.profile.retry,
      options.signal,
    ),
    environment.runFaults(schedule, options.signal),
  ]);
  return { checkouts, injected };
}

/**
 * What the quiescence wait reads in a chaos environment: payments (through payment's balancer: its
 * instances share one database), psp-sim, and the backlog of every instance of every service at the
 * instance's own url (a balancer's would answer for one instance at a time).
 */
export function quiescenceSourcesOf(environment: ChaosEnvironment): QuiescenceSources {
  const { system } = environment;
  return {
    paymentUrl: system.url('payment'),
    keys: system.keys(),
    simUrl: system.url('psp-sim'),
    serviceUrls: KEEL_SERVICES.flatMap((service) =>
      system.instances(service).map((instance) => instance.url),
    ),
    operatorAuthorization: () => system.operatorAuthorization('viewer'),
  };
}

/**
 * Where the checker reads its facts in a chaos environment: every API, psp-sim, the run's topics,
 * and reconciliation, which runs each PSP's settlement files of the run's days.
 */
export function factSourcesOf(environment: ChaosEnvironment, topicReadTimeoutMs: number): FactSources {
  const { system } = environment;
  return {
    paymentUrl: system.url('payment'),
    keys: system.keys(),
    walletUrl: system.url('wallet'),
    ledgerUrl: system.url('ledger'),
    operatorAuthorization: () => system.operatorAuthorization('viewer'),
    simUrl: system.url('psp-sim'),
    kafka: createKafkajsClient(
      {
        brokers: [...environment.kafkaBrokers],
        clientId: `keel-chaos-checker-${randomBytes(3).toString('hex')}`,
        ...DEFAULT_KAFKA_TIMEOUTS,
      },
      silentLogger,
    ),
    topicOf: (name) => namespacedTopic(environment.topicNamespace, name),
    topicReadTimeoutMs,
    reconciliation: {
      reconciliationUrl: system.url('reconciliation'),
      psps: PSP_IDS,
      operatorAuthorization: (role) => system.operatorAuthorization(role),
    },
  };
}

async function check(
  environment: ChaosEnvironment,
  options: ChaosRunOptions,
  checkouts: readonly CheckoutRecord[],
  faultsEndedAtMs: number,
): Promise<{ results: InvariantResult[]; payments: readonly KeelPayment[] }> {
  const facts = await collectFacts(
    factSourcesOf(environment, options.profile.topicReadTimeoutMs),
    checkouts,
    faultsEndedAtMs,
  );
  if (facts.unparsedRecords > 0) options.log(`warning: ${facts.unparsedRecords} topic records did not parse`);
  return { results: checkInvariants(facts, options.profile), payments: facts.payments };
}

/** Exits of processes that had been ready: a fault may take a service down only by a scheduled kill. */
export function crashesOnceReady(crashes: readonly ProcessCrash[]): ProcessCrash[] {
  return crashes.filter((crash) => !crash.whileStarting);
}

const interrupted = (signal: AbortSignal): Error =>
  new Error(`the chaos run was interrupted (${String(signal.reason)})`);

/**
 * Settles as `work` does, or rejects as soon as `signal` aborts: the caller then stops the
 * environment under whatever `work` is still doing, which fails against it and is ignored.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(interrupted(signal));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

interface RunClock {
  readonly startedAt: string;
  readonly elapsed: () => string;
}

/** Traffic and faults together, heal, let the system settle (bounded), then check every invariant. */
async function runIn(
  environment: ChaosEnvironment,
  options: ChaosRunOptions,
  schedule: readonly ScheduledFault[],
  clock: RunClock,
): Promise<ChaosRunOutcome> {
  const { profile } = options;
  const { checkouts, injected } = await trafficUnderFaults(environment, options, schedule);
  if (options.signal?.aborted) throw interrupted(options.signal);
  await environment.heal();
  const faultsEndedAtMs = Date.now();
  options.log(`faults healed after ${clock.elapsed()}; waiting for the system to settle`);
  const quiescence = await waitForQuiescence(
    quiescenceSourcesOf(environment),
    checkouts,
    profile.quiescenceTimeoutMs,
  );
  options.log(`settled: ${quiescence.settled} after ${Math.round(quiescence.waitedMs / 1_000)} s`);
  const { results, payments } = await check(environment, options, checkouts, faultsEndedAtMs);
  options.log(`checked after ${clock.elapsed()}`);
  for (const result of results) options.log(invariantLine(result));
  const share = paymentFigures(checkouts, payments).acceptedShare;
  const acceptance = { share, minShare: profile.minAcceptedShare, met: share >= profile.minAcceptedShare };
  options.log(
    `acceptance: ${(share * 100).toFixed(1)} % of checkouts accepted (min ${profile.minAcceptedShare * 100} %): ${acceptance.met ? 'PASS' : 'FAIL'}`,
  );
  for (const crash of environment.crashes)
    options.log(
      crash.whileStarting
        ? `failed start  ${crash.process} exited while starting at ${crash.at} and was started again; see ${crash.logPath}`
        : `crash FAIL  ${crash.process} exited on its own at ${crash.at}; see ${crash.logPath}`,
    );
  return {
    startedAt: clock.startedAt,
    endedAt: new Date().toISOString(),
    paymentInstances: profile.paymentInstances,
    schedule,
    injected,
    checkouts,
    payments,
    quiescence,
    results,
    acceptance,
    crashes: [...environment.crashes],
    passed:
      acceptance.met &&
      crashesOnceReady(environment.crashes).length === 0 &&
      results.every((result) => result.passed),
  };
}

/**
 * One chaos run: traffic and faults together, heal, let the system settle (bounded), then check
 * every invariant against independent sources. The environment is always stopped, at once when
 * `signal` aborts (once it is up, if it is still starting).
 */
export async function runChaos(options: ChaosRunOptions): Promise<ChaosRunOutcome> {
  const startedAt = new Date().toISOString();
  const startedMs = Date.now();
  const elapsed = (): string => `${Math.round((Date.now() - startedMs) / 1_000)} s`;
  const { profile, seed } = options;
  const instances = { payment: profile.paymentInstances };
  const schedule =
    options.schedule ??
    buildFaultSchedule(seed, {
      durationMs: profile.trafficMs,
      faultsPerClass: profile.faultsPerClass,
      instances,
    });
  if (options.signal?.aborted) throw interrupted(options.signal);
  const plantedBug = options.breakName === undefined ? undefined : PLANTED_BUGS[options.breakName];
  const environment = await startChaosEnvironment({
    label: 'chaos',
    environment: { ...RUN_ENVIRONMENT, ...plantedBug?.environment },
    entryPoints: plantedBug?.entryPoints,
    instances,
  });
  try {
    options.log(`environment up after ${elapsed()} (${profile.paymentInstances} payment instances)`);
    return await untilAborted(runIn(environment, options, schedule, { startedAt, elapsed }), options.signal);
  } finally {
    await environment.stop();
  }
}
