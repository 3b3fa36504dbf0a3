import { randomBytes } from 'node:crypto';
import { KEEL_SERVICES } from '@keel/local-system';
import { DEFAULT_KAFKA_TIMEOUTS, createKafkajsClient, namespacedTopic, silentLogger } from '@keel/messaging';
import { checkInvariants } from './checker/check-invariants';
import { collectFacts, type FactSources } from './checker/collect-facts';
import { invariantLine, type InvariantResult } from './checker/invariant-result';
import { waitForQuiescence, type QuiescenceOutcome, type QuiescenceSources } from './checker/quiescence';
import type { InjectedFault, ScheduledFault } from './faults/fault';
import type { ChaosProfile } from './profiles';
import { startChaosEnvironment, type ChaosEnvironment } from './environment/chaos-environment';
import { buildFaultSchedule } from './schedule/fault-schedule';
import { SeededRandom } from './schedule/seeded-random';
import type { CheckoutRecord } from './workload/checkout-client';
import { planCheckouts } from './workload/checkout-plan';
import { runWorkload } from './workload/workload';
import { paymentFigures } from './report/run-figures';
import type { KeelPayment } from './checker/chaos-facts';

/** The bugs a run can plant in the executor to prove the checker catches them. */
export const CHAOS_BREAK_NAMES = ['failover-on-unknown-outcome'] as const;
export type ChaosBreakName = (typeof CHAOS_BREAK_NAMES)[number];

export interface ChaosRunOptions {
  readonly profile: ChaosProfile;
  readonly seed: number;
  readonly breakName?: ChaosBreakName;
  /** Replaces the seeded schedule (the broken-build proof aims one fault class at one PSP). */
  readonly schedule?: readonly ScheduledFault[];
  readonly log: (line: string) => void;
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
  /** Every invariant holds and the acceptance share is met. */
  readonly passed: boolean;
}

/**
 * The planted bug shows only when an unknown outcome is really unknown: acme's webhooks are
 * signed with a secret the executor does not hold (and sent once), so only an inquiry, which the
 * bug skips, could learn that acme charged.
 */
function breakEnvironment(breakName: ChaosBreakName | undefined): NodeJS.ProcessEnv {
  if (breakName === undefined) return {};
  return {
    KEEL_CHAOS_BREAK: breakName,
    PSP_SIM_ACME_WEBHOOK_SECRET: 'whsec_chaos_not_the_executors',
    PSP_SIM_WEBHOOK_MAX_RETRIES: '0',
  };
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
    runWorkload(environment.system.url('payment'), plan, options.profile.retry),
    environment.runFaults(schedule),
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
    simUrl: system.url('psp-sim'),
    serviceUrls: KEEL_SERVICES.flatMap((service) =>
      system.instances(service).map((instance) => instance.url),
    ),
  };
}

/** Where the checker reads its facts in a chaos environment: every API, psp-sim and the run's topics. */
export function factSourcesOf(environment: ChaosEnvironment, topicReadTimeoutMs: number): FactSources {
  const { system } = environment;
  return {
    paymentUrl: system.url('payment'),
    walletUrl: system.url('wallet'),
    ledgerUrl: system.url('ledger'),
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

/**
 * One chaos run: traffic and faults together, heal, let the system settle (bounded), then check
 * every invariant against independent sources. The environment is always stopped.
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
  const environment = await startChaosEnvironment({
    label: 'chaos',
    environment: { ...RUN_ENVIRONMENT, ...breakEnvironment(options.breakName) },
    instances,
  });
  try {
    options.log(`environment up after ${elapsed()} (${profile.paymentInstances} payment instances)`);
    const { checkouts, injected } = await trafficUnderFaults(environment, options, schedule);
    await environment.heal();
    const faultsEndedAtMs = Date.now();
    options.log(`faults healed after ${elapsed()}; waiting for the system to settle`);
    const quiescence = await waitForQuiescence(
      quiescenceSourcesOf(environment),
      checkouts,
      profile.quiescenceTimeoutMs,
    );
    options.log(`settled: ${quiescence.settled} after ${Math.round(quiescence.waitedMs / 1_000)} s`);
    const { results, payments } = await check(environment, options, checkouts, faultsEndedAtMs);
    options.log(`checked after ${elapsed()}`);
    for (const result of results) options.log(invariantLine(result));
    const share = paymentFigures(checkouts, payments).acceptedShare;
    const acceptance = { share, minShare: profile.minAcceptedShare, met: share >= profile.minAcceptedShare };
    options.log(
      `acceptance: ${(share * 100).toFixed(1)} % of checkouts accepted (min ${profile.minAcceptedShare * 100} %): ${acceptance.met ? 'PASS' : 'FAIL'}`,
    );
    return {
      startedAt,
      endedAt: new Date().toISOString(),
      paymentInstances: profile.paymentInstances,
      schedule,
      injected,
      checkouts,
      payments,
      quiescence,
      results,
      acceptance,
      passed: acceptance.met && results.every((result) => result.passed),
    };
  } finally {
    await environment.stop();
  }
}
