import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDirectory } from '@keel/local-infra';
import {
  KEEL_SERVICES,
  startIsolatedSystem,
  type SystemInstance,
  type SystemProcessName,
} from '@keel/local-system';
import { chargeTruth, simulatorCharges, type ChargeTruth } from '@keel/traffic';
import type { BenchOptions } from './bench-options';
import { effectCounts, type EffectCounts } from './effect-check';
import { MetricsSampler } from './metrics-sampler';
import { PipelineObserver } from './pipeline-observer';
import { StatementCounter, statementCounting } from './statement-counter';
import { stepFigures, type StepFigures } from './step-figures';
import { nextRampRate, sustainedMaxRate } from './step-decision';
import {
  runStep,
  waitForIdlePipeline,
  waitForOutcomes,
  type SentPayment,
  type StepContext,
  type StepPlan,
} from './step-runner';

/** The services that consume from Kafka, which `--instances` multiplies. */
export const CONSUMER_SERVICES: readonly SystemProcessName[] = ['executor', 'wallet', 'ledger'];
const SCRAPE_INTERVAL_MS = 1_000;
const WARM_UP_S = 5;
/** A descending ramp (the start rate fell behind twice) gives up below this rate. */
const RAMP_RATE_MIN_PER_S = 1;

export interface SystemFigures {
  readonly ramp: readonly StepFigures[];
  readonly sustainedMaxRatePerS?: number;
  readonly sustainedCompletedPerS?: number;
  readonly halfMax?: StepFigures;
  readonly overload?: StepFigures;
  /** The single step of a fixed-rate (scaling) run. */
  readonly fixed?: StepFigures;
  readonly effects: EffectCounts;
  readonly charges: ChargeTruth;
  /** keel_inbox_applied_total per consumer instance at the end of the run. */
  readonly inboxApplied: Readonly<Record<string, number>>;
  readonly instanceNames: readonly string[];
  readonly exitedInstances: readonly string[];
  readonly contractRejections: number;
}

function databasePerPayment(figures: StepFigures): string {
  const { statementsPerPayment, commitsPerPayment } = figures.database.total;
  if (statementsPerPayment === undefined || commitsPerPayment === undefined)
    return 'no statements per payment';
  return `${statementsPerPayment.toFixed(1)} statements / ${commitsPerPayment.toFixed(1)} commits per payment`;
}

class BenchSession {
  private readonly sentSoFar: SentPayment[] = [];

  constructor(
    private readonly context: StepContext,
    private readonly options: BenchOptions,
    /** The service instances whose metrics the sampler scrapes. */
    private readonly scrapedInstances: number,
  ) {}

  async step(kind: StepPlan['kind'], ratePerS: number, settleTimeoutMs: number, durationS?: number) {
    await waitForOutcomes(this.context.observer, this.sentSoFar, this.options.drainTimeoutS * 1_000);
    await waitForIdlePipeline(
      this.context.sampler,
      this.scrapedInstances,
      this.options.drainTimeoutS * 1_000,
    );
    const plan = { kind, ratePerS, durationS: durationS ?? this.options.stepDurationS, settleTimeoutMs };
    const record = await runStep(this.context, plan, this.sentSoFar.length);
    this.sentSoFar.push(...record.sent);
    const figures = stepFigures(record, this.context.observer.outcomes, this.options.criteria);
    const verdict =
      kind === 'ramp' && !figures.verdict.keptUp
        ? ` — fell behind: ${figures.verdict.reasons.join('; ')}`
        : '';
    console.log(
      `${kind} ${ratePerS.toFixed(1)}/s: ${figures.completed}/${figures.sent} completed, statuses ${JSON.stringify(figures.statusCounts)}, accept p99 ${figures.acceptLatency.p99Ms} ms, e2e p99 ${figures.e2eLatency.p99Ms} ms, ${databasePerPayment(figures)}${verdict}`,
    );
    return figures;
  }

  async drain(): Promise<readonly string[]> {
    await waitForOutcomes(this.context.observer, this.sentSoFar, this.options.drainTimeoutS * 1_000);
    return this.sentSoFar.flatMap((entry) =>
      entry.answer?.paymentId === undefined ? [] : [entry.answer.paymentId],
    );
  }
}

async function rampThenLimits(session: BenchSession, options: BenchOptions) {
  const bound = options.criteria.e2eP99MsMax;
  const drainMs = options.drainTimeoutS * 1_000;
  await session.step('warm-up', options.startRatePerS, bound, WARM_UP_S);
  const ramp: StepFigures[] = [];
  const rampPlan = {
    startRatePerS: options.startRatePerS,
    growthFactor: options.rateGrowthFactor,
    stepsMax: options.stepsMax,
    rateMinPerS: RAMP_RATE_MIN_PER_S,
  };
  let rate = nextRampRate([], rampPlan);
  while (rate !== undefined) {
    ramp.push(await session.step('ramp', rate, bound));
    rate = nextRampRate(ramp.map(toRampStep), rampPlan);
  }
  const sustainedMaxRatePerS = sustainedMaxRate(ramp.map(toRampStep));
  const reference = sustainedMaxRatePerS ?? options.startRatePerS;
  const halfMax = await session.step('half-max', reference / 2, drainMs);
  const overload = await session.step('overload', reference * 2, drainMs, options.overloadDurationS);
  const sustained = ramp.find((step) => step.ratePerS === sustainedMaxRatePerS);
  return { ramp, sustainedMaxRatePerS, sustainedCompletedPerS: sustained?.completedPerS, halfMax, overload };
}

/** One step at a fixed rate after the same warm-up (consumer groups settle, code paths warm). */
async function fixedRate(session: BenchSession, options: BenchOptions, ratePerS: number) {
  await session.step('warm-up', ratePerS, options.criteria.e2eP99MsMax, WARM_UP_S);
  return { ramp: [], fixed: await session.step('fixed', ratePerS, options.drainTimeoutS * 1_000) };
}

const toRampStep = (figures: StepFigures) => ({
  offeredRatePerS: figures.ratePerS,
  keptUp: figures.verdict.keptUp,
});

/** Starts an isolated Keel, drives it as the options say, and collects every figure of the system part. */
export async function benchSystem(
  options: BenchOptions,
  fixedRatePerS: number | undefined,
): Promise<SystemFigures> {
  const instanceCounts = Object.fromEntries(CONSUMER_SERVICES.map((name) => [name, options.instances]));
  const counterDirectory = await mkdtemp(join(stateDirectory(), 'bench-statements-'));
  const counting = statementCounting(counterDirectory);
  const isolated = await startIsolatedSystem({
    label: 'bench',
    environment: {
      ...counting.environment,
      ...(options.kafkaClient === undefined ? {} : { KAFKA_CLIENT: options.kafkaClient }),
    },
    instances: instanceCounts,
    nodeArguments: counting.nodeArguments,
  }).catch(async (error: unknown) => {
    await rm(counterDirectory, { recursive: true, force: true });
    throw error;
  });
  const { system, namespace } = isolated;
  const instances: SystemInstance[] = system.names().flatMap((name) => system.instances(name));
  const serviceInstances = instances.filter((instance) =>
    (KEEL_SERVICES as readonly string[]).includes(instance.name.replace(/-\d+$/, '')),
  );
  const observer = new PipelineObserver();
  const sampler = new MetricsSampler(
    serviceInstances.map((instance) => ({ instance: instance.name, url: instance.url })),
    SCRAPE_INTERVAL_MS,
    () => system.operatorAuthorization('viewer'),
  );
  try {
    await observer.start(namespace);
    sampler.start();
    const context = {
      system,
      instances,
      observer,
      sampler,
      statementCounter: new StatementCounter(counterDirectory, serviceInstances),
      requestTimeoutMs: options.requestTimeoutMs,
      databases: new Set(isolated.databaseNames),
    };
    const session = new BenchSession(context, options, serviceInstances.length);
    const stepsFigures =
      fixedRatePerS === undefined
        ? await rampThenLimits(session, options)
        : await fixedRate(session, options, fixedRatePerS);
    const paymentIds = await session.drain();
    await observer.readEffects(namespace);
    const lastRound = await sampler.scrapeRound();
    return {
      ...stepsFigures,
      effects: effectCounts(
        paymentIds,
        observer.outcomes,
        observer.walletCredits,
        observer.ledgerTransactions,
      ),
      charges: chargeTruth(await simulatorCharges(system.url('psp-sim'))),
      inboxApplied: Object.fromEntries(
        lastRound.instances.map((metrics) => [metrics.instance, metrics.inboxAppliedTotal]),
      ),
      instanceNames: instances.map((instance) => instance.name),
      exitedInstances: instances
        .filter((instance) => !instance.process.isRunning())
        .map((instance) => instance.name),
      contractRejections: observer.rejectedRecords,
    };
  } finally {
    sampler.stop();
    await observer.stop();
    await isolated.stop();
    await rm(counterDirectory, { recursive: true, force: true });
  }
}
