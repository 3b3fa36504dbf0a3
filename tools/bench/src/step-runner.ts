import { setTimeout as sleep } from 'node:timers/promises';
import type { KeelSystem, SystemInstance } from '@keel/local-system';
import { waitFor } from '@keel/testing';
import { postCardPayment, runOpenLoop, type PaymentAnswer } from '@keel/traffic';
import { cpuPercentOfOneCore, cpuTicksOf } from './cpu';
import { sharedCpuTicks } from './machine-cpu';
import { pipelineBacklog, type MetricsRound, type MetricsSampler } from './metrics-sampler';
import type { PipelineObserver } from './pipeline-observer';
import type { StatementCounter } from './statement-counter';
import { countsBetween, type StatementCounts } from './statement-counts';

export const BENCH_MERCHANT_ID = 'merchant_bench';
const BENCH_SELLERS = ['seller_bench_1', 'seller_bench_2', 'seller_bench_3', 'seller_bench_4'];
const PAYMENT_AMOUNT_MINOR = 10_000n;

export type StepKind = 'warm-up' | 'ramp' | 'half-max' | 'overload' | 'fixed';

export interface StepPlan {
  readonly kind: StepKind;
  readonly ratePerS: number;
  readonly durationS: number;
  /** How long after the last send the step waits for its payments to complete. */
  readonly settleTimeoutMs: number;
}

export interface SentPayment {
  readonly sentAtMs: number;
  answer?: PaymentAnswer;
}

export interface StepRecord {
  readonly plan: StepPlan;
  readonly startMs: number;
  readonly lastSendMs: number;
  readonly settledAtMs: number;
  readonly sent: readonly SentPayment[];
  /**
   * CPU over the sending window, % of one core, per instance; `bench` is this load generator,
   * `postgresql` and `kafka broker` the shared servers, `machine` every process on the machine.
   */
  readonly cpuPercent: Readonly<Record<string, number>>;
  readonly rounds: readonly MetricsRound[];
  /** PostgreSQL statements each service instance sent from the step's start until it settled. */
  readonly statementCounts: Readonly<Record<string, StatementCounts>>;
  /** Instances not running at the end of the step (crashed or exited). */
  readonly exitedInstances: readonly string[];
}

export interface StepContext {
  readonly system: KeelSystem;
  readonly instances: readonly SystemInstance[];
  readonly observer: PipelineObserver;
  readonly sampler: MetricsSampler;
  readonly statementCounter: StatementCounter;
  readonly requestTimeoutMs: number;
  /** The system's databases: PostgreSQL's CPU counts their backends, not other work's. */
  readonly databases: ReadonlySet<string>;
}

async function cpuTicks(instances: readonly SystemInstance[]): Promise<Map<string, number | undefined>> {
  const entries = await Promise.all(
    instances.map(async (instance) => {
      const pid = instance.process.pid;
      return [instance.name, pid === undefined ? undefined : await cpuTicksOf(pid)] as const;
    }),
  );
  return new Map(entries);
}

async function cpuOverWindow(context: StepContext, durationMs: number): Promise<Record<string, number>> {
  const startedMs = Date.now();
  const before = await cpuTicks(context.instances);
  const sharedBefore = await sharedCpuTicks(context.databases);
  const benchBefore = process.cpuUsage();
  await sleep(durationMs);
  const after = await cpuTicks(context.instances);
  const sharedAfter = await sharedCpuTicks(context.databases);
  const benchUsed = process.cpuUsage(benchBefore);
  const wallMs = Date.now() - startedMs;
  const percent: Record<string, number> = {};
  for (const instance of context.instances) {
    const first = before.get(instance.name);
    const last = after.get(instance.name);
    if (first !== undefined && last !== undefined)
      percent[instance.name] = cpuPercentOfOneCore(first, last, wallMs);
  }
  for (const [group, last] of sharedAfter) {
    const first = sharedBefore.get(group);
    if (first !== undefined) percent[group] = cpuPercentOfOneCore(first, last, wallMs);
  }
  percent['bench'] = (100 * ((benchUsed.user + benchUsed.system) / 1_000)) / wallMs;
  return percent;
}

/** Every payment accepted so far has its terminal event, or `timeoutMs` passed. */
export async function waitForOutcomes(
  observer: PipelineObserver,
  sent: readonly SentPayment[],
  timeoutMs: number,
): Promise<void> {
  const pending = () =>
    sent.filter(
      (entry) => entry.answer?.paymentId !== undefined && !observer.outcomes.has(entry.answer.paymentId),
    );
  if (timeoutMs <= 0 || pending().length === 0) return;
  await waitFor(() => pending().length === 0, {
    timeoutMs,
    intervalMs: 100,
    description: 'payment outcomes',
  }).catch(() => undefined);
}

/**
 * Every instance answers its metrics with no outbox backlog and no consumer lag, or `timeoutMs`
 * passed: a step measures a settled pipeline, not the previous step's tail (the reconciliation
 * view's catching up, a relay's backlog). Returns how long it waited.
 */
export async function waitForIdlePipeline(
  sampler: MetricsSampler,
  instanceCount: number,
  timeoutMs: number,
): Promise<number> {
  const startedMs = Date.now();
  await waitFor(
    async () => {
      const round = await sampler.scrapeRound();
      return round.instances.length === instanceCount && pipelineBacklog(round) === 0;
    },
    { timeoutMs, intervalMs: 500, description: 'an idle pipeline' },
  ).catch(() => undefined);
  return Date.now() - startedMs;
}

function countsOverStep(
  atStart: Readonly<Record<string, StatementCounts>>,
  atEnd: Readonly<Record<string, StatementCounts>>,
): Record<string, StatementCounts> {
  return Object.fromEntries(
    Object.entries(atEnd).flatMap(([instance, end]) => {
      const start = atStart[instance];
      return start === undefined ? [] : [[instance, countsBetween(start, end)]];
    }),
  );
}

/** One step: open-loop card payments at the plan's rate, then a bounded wait for their outcomes. */
export async function runStep(context: StepContext, plan: StepPlan, stepIndex: number): Promise<StepRecord> {
  const countsAtStart = await context.statementCounter.countsAt(Date.now());
  const startMs = Date.now() + 100;
  const durationMs = plan.durationS * 1_000;
  const sent: SentPayment[] = [];
  const apiKey = await context.system.keys().keyFor(BENCH_MERCHANT_ID);
  const [, cpuPercent] = await Promise.all([
    runOpenLoop({ ratePerSecond: plan.ratePerS, durationS: plan.durationS, startMs }, async (index) => {
      const entry: SentPayment = { sentAtMs: Date.now() };
      sent.push(entry);
      entry.answer = await postCardPayment(context.system.url('payment'), {
        apiKey,
        sellerId: BENCH_SELLERS[index % BENCH_SELLERS.length],
        amountMinor: PAYMENT_AMOUNT_MINOR,
        checkoutPrefix: `bench-${stepIndex}`,
        timeoutMs: context.requestTimeoutMs,
      });
    }),
    sleep(Math.max(0, startMs - Date.now())).then(() => cpuOverWindow(context, durationMs)),
  ]);
  const lastSendMs = sent.reduce((latest, entry) => Math.max(latest, entry.sentAtMs), startMs);
  await waitForOutcomes(context.observer, sent, lastSendMs + plan.settleTimeoutMs - Date.now());
  await context.sampler.scrapeRound();
  const settledAtMs = Date.now();
  const countsAtEnd = await context.statementCounter.countsAt(settledAtMs);
  return {
    plan,
    startMs,
    lastSendMs,
    settledAtMs,
    sent,
    cpuPercent,
    rounds: context.sampler.between(startMs, settledAtMs),
    statementCounts: countsOverStep(countsAtStart, countsAtEnd),
    exitedInstances: context.instances
      .filter((instance) => !instance.process.isRunning())
      .map((instance) => instance.name),
  };
}
