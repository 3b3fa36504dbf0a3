import { EVENT_TYPES } from '@keel/contracts';
import { WHOLE_MACHINE } from './machine-cpu';
import { pipelineBacklog, type MetricsRound } from './metrics-sampler';
import type { PaymentOutcome } from './pipeline-observer';
import { stepDatabaseWork, type StepDatabaseWork } from './statement-counts';
import { summarise, type LatencySummary } from './statistics';
import { keepUpVerdict, type KeepUpCriteria, type StepVerdict } from './step-decision';
import type { StepKind, StepRecord } from './step-runner';

export interface InstanceFigures {
  readonly instance: string;
  readonly outboxBacklogRowsMax: number;
  readonly consumerLagRecordsMax: number;
  readonly cpuPercent?: number;
}

export interface StepFigures {
  readonly kind: StepKind;
  readonly ratePerS: number;
  readonly durationS: number;
  readonly sent: number;
  /** Answers by HTTP status; `no answer` for refused, reset or timed-out requests. */
  readonly statusCounts: Readonly<Record<string, number>>;
  readonly accepted: number;
  /** Accepted payments whose `completed` event came within the step's settle window. */
  readonly completed: number;
  /** Accepted payments that ended failed or partially failed within the window. */
  readonly failed: number;
  readonly completedPerS: number;
  /** Client-side POST → 202 latency of accepted payments. */
  readonly acceptLatency: LatencySummary;
  /** POST sent → completed event observed, accepted payments only; no completion in the window is ∞. */
  readonly e2eLatency: LatencySummary;
  /** 503 and 429 answers, and how many of them carried Retry-After. */
  readonly shed: { readonly count: number; readonly withRetryAfter: number };
  readonly instances: readonly InstanceFigures[];
  readonly benchCpuPercent?: number;
  /** Every process on the machine, Keel's and anything else running at the time. */
  readonly machineCpuPercent?: number;
  /** PostgreSQL statements and commits per service over the step, and per completed payment. */
  readonly database: StepDatabaseWork;
  readonly pipelineBacklogStart: number;
  readonly pipelineBacklogEnd: number;
  readonly verdict: StepVerdict;
  readonly exitedInstances: readonly string[];
}

/** `wallet-2` → `wallet`. */
export const serviceOfInstance = (instance: string): string => instance.replace(/-\d+$/, '');

const SHED_STATUSES: ReadonlySet<number> = new Set([429, 503]);

function instanceFigures(
  rounds: readonly MetricsRound[],
  cpuPercent: Readonly<Record<string, number>>,
): InstanceFigures[] {
  // psp-sim, PostgreSQL and the broker have CPU figures but no Keel metrics; `bench` (the load
  // generator) and the whole machine are reported apart.
  const names = new Set([
    ...rounds.flatMap((round) => round.instances.map((metrics) => metrics.instance)),
    ...Object.keys(cpuPercent).filter((name) => name !== 'bench' && name !== WHOLE_MACHINE),
  ]);
  return [...names].map((instance) => {
    const samples = rounds.flatMap((round) =>
      round.instances.filter((metrics) => metrics.instance === instance),
    );
    return {
      instance,
      outboxBacklogRowsMax: Math.max(0, ...samples.map((metrics) => metrics.outboxBacklogRows)),
      consumerLagRecordsMax: Math.max(0, ...samples.map((metrics) => metrics.consumerLagRecords)),
      cpuPercent: cpuPercent[instance],
    };
  });
}

/** The step's figures as of the end of its settle window (later completions count as never). */
export function stepFigures(
  record: StepRecord,
  outcomes: ReadonlyMap<string, PaymentOutcome>,
  criteria: KeepUpCriteria,
): StepFigures {
  const statusCounts: Record<string, number> = {};
  for (const entry of record.sent) {
    const key = entry.answer?.httpStatus === undefined ? 'no answer' : String(entry.answer.httpStatus);
    statusCounts[key] = (statusCounts[key] ?? 0) + 1;
  }
  const accepted = record.sent.filter((entry) => entry.answer?.paymentId !== undefined);
  const outcomeInWindow = (paymentId: string | undefined) => {
    const outcome = paymentId === undefined ? undefined : outcomes.get(paymentId);
    return outcome !== undefined && outcome.observedAtMs <= record.settledAtMs ? outcome : undefined;
  };
  const completedAt = accepted.map((entry) => {
    const outcome = outcomeInWindow(entry.answer?.paymentId);
    return outcome?.type === EVENT_TYPES.paymentCompleted ? outcome.observedAtMs - entry.sentAtMs : Infinity;
  });
  const completed = completedAt.filter(Number.isFinite).length;
  const failed = accepted.filter((entry) => {
    const outcome = outcomeInWindow(entry.answer?.paymentId);
    return outcome !== undefined && outcome.type !== EVENT_TYPES.paymentCompleted;
  }).length;
  const shedAnswers = record.sent.filter((entry) => SHED_STATUSES.has(entry.answer?.httpStatus ?? 0));
  const sendingRounds = record.rounds.filter((round) => round.atMs <= record.lastSendMs + 1_000);
  const firstRound = sendingRounds[0];
  const lastRound = sendingRounds[sendingRounds.length - 1];
  const e2eLatency = summarise(completedAt);
  const pipelineBacklogStart = firstRound === undefined ? 0 : pipelineBacklog(firstRound);
  const pipelineBacklogEnd = lastRound === undefined ? 0 : pipelineBacklog(lastRound);
  return {
    kind: record.plan.kind,
    ratePerS: record.plan.ratePerS,
    durationS: record.plan.durationS,
    sent: record.sent.length,
    statusCounts,
    accepted: accepted.length,
    completed,
    failed,
    completedPerS: completed / record.plan.durationS,
    acceptLatency: summarise(
      accepted.map((entry) => (entry.answer?.answeredAtMs ?? Infinity) - entry.sentAtMs),
    ),
    e2eLatency,
    shed: {
      count: shedAnswers.length,
      withRetryAfter: shedAnswers.filter((entry) => entry.answer?.retryAfter !== undefined).length,
    },
    instances: instanceFigures(record.rounds, record.cpuPercent),
    benchCpuPercent: record.cpuPercent['bench'],
    machineCpuPercent: record.cpuPercent[WHOLE_MACHINE],
    database: stepDatabaseWork(record.statementCounts, completed, serviceOfInstance),
    pipelineBacklogStart,
    pipelineBacklogEnd,
    verdict: keepUpVerdict(
      {
        offeredRatePerS: record.plan.ratePerS,
        sent: record.sent.length,
        completed,
        e2eP99Ms: e2eLatency.p99Ms,
        pipelineBacklogStart,
        pipelineBacklogEnd,
      },
      criteria,
    ),
    exitedInstances: record.exitedInstances,
  };
}
