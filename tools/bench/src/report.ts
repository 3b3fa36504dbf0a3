import type { BenchOptions } from './bench-options';
import type { SystemFigures } from './bench-run';
import type { MachineFacts } from './machine-facts';
import type { PgbenchResult } from './pgbench';
import type { ProducerPerfResult } from './producer-perf';
import { formatMs } from './statistics';
import type { StepFigures } from './step-figures';
import type { DatabaseWork } from './statement-counts';

export interface BenchReport {
  readonly command: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly options: BenchOptions;
  readonly machine: MachineFacts;
  readonly ceilings: { readonly pgbench: PgbenchResult; readonly producerPerf: ProducerPerfResult };
  readonly system: SystemFigures;
  readonly verdicts: Verdicts;
  /** 1-minute load average when the run ended. */
  readonly loadAverage1mAtEnd: number;
}

/** The issue's targets and promises, each with whether this run met it (undefined: not measured). */
export interface Verdicts {
  readonly paymentsPerPgbenchTps?: number;
  /** The batch pipeline's milestone (0.10 × pgbench TPS) on the way to the goal. */
  readonly throughputMilestoneMet?: boolean;
  readonly throughputTargetMet?: boolean;
  readonly halfMaxLatencyTargetMet?: boolean;
  readonly overloadShed?: boolean;
  readonly overloadRetryAfterOnEveryShed?: boolean;
  readonly noProcessExited: boolean;
  readonly noDuplicateEffects: boolean;
  readonly everyConsumerInstanceApplied?: boolean;
}

const THROUGHPUT_SHARE_OF_PGBENCH_MIN = 0.25;
const THROUGHPUT_SHARE_OF_PGBENCH_MILESTONE = 0.1;
const HALF_MAX_ACCEPT_P99_MS_MAX = 50;
const HALF_MAX_E2E_P99_MS_MAX = 500;
/** The batch pipeline's budget across all services (the throughput issue). */
const STATEMENTS_PER_PAYMENT_MAX = 12;
const COMMITS_PER_PAYMENT_MAX = 4;

export function verdictsOf(
  system: SystemFigures,
  pgbench: PgbenchResult,
  consumers: readonly string[],
): Verdicts {
  const ratio =
    system.sustainedCompletedPerS === undefined ? undefined : system.sustainedCompletedPerS / pgbench.tps;
  const { halfMax, overload, effects, charges } = system;
  const consumerInstances = system.instanceNames.filter((name) =>
    consumers.includes(name.replace(/-\d+$/, '')),
  );
  return {
    paymentsPerPgbenchTps: ratio,
    throughputMilestoneMet: ratio === undefined ? undefined : ratio >= THROUGHPUT_SHARE_OF_PGBENCH_MILESTONE,
    throughputTargetMet: ratio === undefined ? undefined : ratio >= THROUGHPUT_SHARE_OF_PGBENCH_MIN,
    halfMaxLatencyTargetMet:
      halfMax === undefined
        ? undefined
        : (halfMax.acceptLatency.p99Ms ?? Infinity) < HALF_MAX_ACCEPT_P99_MS_MAX &&
          (halfMax.e2eLatency.p99Ms ?? Infinity) < HALF_MAX_E2E_P99_MS_MAX,
    overloadShed: overload === undefined ? undefined : overload.shed.count > 0,
    overloadRetryAfterOnEveryShed:
      overload === undefined || overload.shed.count === 0
        ? undefined
        : overload.shed.withRetryAfter === overload.shed.count,
    noProcessExited: system.exitedInstances.length === 0,
    noDuplicateEffects:
      effects.walletMoreThanOnce === 0 &&
      effects.ledgerMoreThanOnce === 0 &&
      charges.ordersChargedMoreThanOnce === 0,
    everyConsumerInstanceApplied:
      consumerInstances.length === 0
        ? undefined
        : consumerInstances.every((name) => (system.inboxApplied[name] ?? 0) > 0),
  };
}

const yesNo = (value: boolean | undefined): string =>
  value === undefined ? 'not measured' : value ? 'yes' : 'NO';
const rate = (value: number | undefined): string => (value === undefined ? 'n/a' : value.toFixed(1));

function statusText(step: StepFigures): string {
  return Object.entries(step.statusCounts)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
}

function stepRow(step: StepFigures): string {
  const backlog = Math.max(0, ...step.instances.map((instance) => instance.outboxBacklogRowsMax));
  const lag = Math.max(0, ...step.instances.map((instance) => instance.consumerLagRecordsMax));
  return `| ${step.kind} | ${rate(step.ratePerS)} | ${step.sent} | ${statusText(step)} | ${step.completed} | ${rate(step.completedPerS)} | ${formatMs(step.acceptLatency.p50Ms)} / ${formatMs(step.acceptLatency.p99Ms)} / ${formatMs(step.acceptLatency.p999Ms)} | ${formatMs(step.e2eLatency.p50Ms)} / ${formatMs(step.e2eLatency.p99Ms)} | ${backlog} | ${lag} | ${step.verdict.keptUp ? 'kept up' : step.verdict.reasons.join('; ')} |`;
}

function cpuTable(steps: readonly StepFigures[]): string[] {
  const names = [...new Set(steps.flatMap((step) => step.instances.map((instance) => instance.instance)))];
  const cpuOf = (step: StepFigures, name: string) =>
    step.instances.find((instance) => instance.instance === name)?.cpuPercent;
  return [
    `| step | offered/s | ${names.join(' | ')} | bench client | whole machine |`,
    `| --- | --: | ${names.map(() => '--:').join(' | ')} | --: | --: |`,
    ...steps.map(
      (step) =>
        `| ${step.kind} | ${rate(step.ratePerS)} | ${names.map((name) => rate(cpuOf(step, name))).join(' | ')} | ${rate(step.benchCpuPercent)} | ${rate(step.machineCpuPercent)} |`,
    ),
  ];
}

/** The steps whose database work the report shows: the sustained maximum, half of it, a fixed rate. */
function databaseSteps(system: SystemFigures): { label: string; step: StepFigures }[] {
  const sustained = system.ramp.find((step) => step.ratePerS === system.sustainedMaxRatePerS);
  const labelled = [
    { label: 'half max', step: system.halfMax },
    { label: 'sustained max', step: sustained },
    { label: 'fixed', step: system.fixed },
  ];
  return labelled.flatMap(({ label, step }) =>
    step === undefined ? [] : [{ label: `${label} (${rate(step.ratePerS)}/s)`, step }],
  );
}

const perPayment = (work: DatabaseWork | undefined): string =>
  work?.statementsPerPayment === undefined || work.commitsPerPayment === undefined
    ? 'n/a'
    : `${work.statementsPerPayment.toFixed(1)} / ${work.commitsPerPayment.toFixed(1)}`;

function databaseTable(system: SystemFigures): string[] {
  const steps = databaseSteps(system);
  const services = [...new Set(steps.flatMap(({ step }) => Object.keys(step.database.perService)))];
  return [
    `| service | ${steps.map(({ label }) => label).join(' | ')} |`,
    `| --- | ${steps.map(() => '--:').join(' | ')} |`,
    ...services.map(
      (service) =>
        `| ${service} | ${steps.map(({ step }) => perPayment(step.database.perService[service])).join(' | ')} |`,
    ),
    `| **total** | ${steps.map(({ step }) => `**${perPayment(step.database.total)}**`).join(' | ')} |`,
  ];
}

function databaseSummary(system: SystemFigures): string[] {
  return databaseSteps(system).map(
    ({ label, step }) =>
      `PostgreSQL per completed payment at ${label}: ${perPayment(step.database.total)} statements / commits (target ≤ ${STATEMENTS_PER_PAYMENT_MAX} / ≤ ${COMMITS_PER_PAYMENT_MAX})`,
  );
}

export function summaryLines(report: BenchReport): string[] {
  const { system, ceilings, verdicts } = report;
  const { pgbench, producerPerf } = ceilings;
  const lines = [
    `pgbench tpcb-like (scale ${pgbench.scale}, ${pgbench.clients} clients, ${pgbench.durationS} s): ${pgbench.tps.toFixed(0)} TPS, avg latency ${pgbench.latencyAverageMs} ms`,
    `kafka ProducerPerformance (${producerPerf.records} × ${producerPerf.recordSizeBytes} B, acks=all): ${producerPerf.recordsPerS.toFixed(0)} records/s, ${producerPerf.mbPerS} MB/s, avg ${producerPerf.latencyAverageMs} ms, p99 ${producerPerf.latencyP99Ms} ms`,
  ];
  if (system.fixed === undefined) {
    lines.push(
      `sustained maximum: ${rate(system.sustainedMaxRatePerS)} payments/s offered, ${rate(system.sustainedCompletedPerS)} completed/s = ${verdicts.paymentsPerPgbenchTps === undefined ? 'n/a' : verdicts.paymentsPerPgbenchTps.toFixed(3)} × pgbench TPS (${throughputVerdict(verdicts)})`,
    );
  }
  if (system.halfMax !== undefined)
    lines.push(
      `half max (${rate(system.halfMax.ratePerS)}/s${system.sustainedMaxRatePerS === undefined ? ', half the start rate' : ''}): accept p99 ${formatMs(system.halfMax.acceptLatency.p99Ms)} ms (target < ${HALF_MAX_ACCEPT_P99_MS_MAX}), e2e p99 ${formatMs(system.halfMax.e2eLatency.p99Ms)} ms (target < ${HALF_MAX_E2E_P99_MS_MAX}): ${yesNo(verdicts.halfMaxLatencyTargetMet)}`,
    );
  if (system.overload !== undefined) {
    const overload = system.overload;
    lines.push(
      `overload (${rate(overload.ratePerS)}/s = 2 × ${system.sustainedMaxRatePerS === undefined ? 'the start rate, as no step kept up' : 'max'}): ${statusText(overload)}; shed ${overload.shed.count}, with Retry-After ${overload.shed.withRetryAfter}; admitted accept p99 ${formatMs(overload.acceptLatency.p99Ms)} ms, e2e p50/p99 ${formatMs(overload.e2eLatency.p50Ms)}/${formatMs(overload.e2eLatency.p99Ms)} ms`,
    );
  }
  if (system.fixed !== undefined)
    lines.push(
      `fixed rate ${rate(system.fixed.ratePerS)}/s: ${system.fixed.completed}/${system.fixed.sent} completed, accept p99 ${formatMs(system.fixed.acceptLatency.p99Ms)} ms, e2e p50/p99 ${formatMs(system.fixed.e2eLatency.p50Ms)}/${formatMs(system.fixed.e2eLatency.p99Ms)} ms`,
    );
  lines.push(...databaseSummary(system));
  const { effects, charges } = system;
  lines.push(
    `wallet/ledger per order of completed payments: ${effects.orders} orders; wallet once ${effects.walletOnce}, missing ${effects.walletMissing}, more than once ${effects.walletMoreThanOnce}; ledger once ${effects.ledgerOnce}, missing ${effects.ledgerMissing}, more than once ${effects.ledgerMoreThanOnce}`,
    `psp-sim: ${charges.chargedOrders} orders charged, ${charges.ordersChargedMoreThanOnce} more than once`,
    `inbox applied per instance: ${Object.entries(system.inboxApplied)
      .map(([name, count]) => `${name} ${count}`)
      .join(
        ', ',
      )} (every consumer instance applied records: ${yesNo(verdicts.everyConsumerInstanceApplied)})`,
    `every process still running: ${yesNo(verdicts.noProcessExited)}${system.exitedInstances.length > 0 ? ` (exited: ${system.exitedInstances.join(', ')})` : ''}; no duplicate effects: ${yesNo(verdicts.noDuplicateEffects)}`,
  );
  return lines;
}

export function markdownReport(report: BenchReport, title: string, baseline?: BenchReport): string {
  const { machine, system, options } = report;
  const steps = [...system.ramp, system.halfMax, system.overload, system.fixed].filter(
    (step): step is StepFigures => step !== undefined,
  );
  return [
    `# ${title}`,
    '',
    `Command: \`${report.command}\``,
    '',
    `Date: ${report.startedAt} – ${report.finishedAt}`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}; Node ${machine.node}, ${machine.java}, PostgreSQL ${machine.postgres}, Kafka ${machine.kafka} (single broker); git ${machine.gitCommit}. Everything — PostgreSQL, Kafka, psp-sim, every service and the load generator — shares these cores; 1-minute load average ${machine.loadAverage1mAtStart.toFixed(1)} at the start and ${report.loadAverage1mAtEnd.toFixed(1)} at the end (above the core count means other work competed for the CPU).`,
    '',
    `Setup: an isolated system (fresh databases, topics with 3 partitions), ${options.instances} instance(s) of executor, wallet and ledger, Kafka client ${options.kafkaClient ?? 'default (kafkajs)'}. Open-loop card payments (tok_approve, 10,000 KRW, one order each, four sellers); a ${options.stepDurationS} s step per rate from ${options.startRatePerS}/s ×${options.rateGrowthFactor} after a 5 s warm-up, a step that falls behind run once more before the ramp stops (÷${options.rateGrowthFactor} instead when the start rate falls behind twice); the overload step at twice the maximum runs ${options.overloadDurationS} s, longer than the payment service's admission budget. Each step starts once every payment sent before it has its outcome and every service instance reports no outbox backlog and no consumer lag (each wait at most ${options.drainTimeoutS} s), so that it measures a settled pipeline, not the previous step's tail. A step keeps up when ≥ ${100 * options.criteria.completedShareMin} % of its payments complete within ${options.criteria.e2eP99MsMax} ms of the last send, e2e p99 ≤ ${options.criteria.e2eP99MsMax} ms, and outbox backlog plus consumer lag grow by at most ${options.criteria.backlogGrowthSMax} s of arrivals. Accept latency: client-side POST → 202. End-to-end: POST sent → \`keel.payment.completed.v1\` observed on the payment topic (payment completes only once wallet and ledger confirmed); a payment not completed within the step's window counts as ∞.`,
    '',
    '## Summary',
    '',
    ...summaryLines(report).map((line) => `- ${line}`),
    '',
    ...(baseline === undefined ? [] : comparisonLines(report, baseline)),
    '## Steps',
    '',
    '| step | offered/s | sent | answers | completed | completed/s | accept p50 / p99 / p99.9 ms | e2e p50 / p99 ms | outbox backlog max | consumer lag max | verdict |',
    '| --- | --: | --: | --- | --: | --: | --: | --: | --: | --: | --- |',
    ...steps.map(stepRow),
    '',
    "## CPU per process (% of one core, over each step's sending window)",
    '',
    "`postgresql` is the server's background processes and the backends of this run's databases; `kafka broker` the broker's JVM; `whole machine` every process, including work that is not this run's (two cores: 200 %).",
    '',
    ...cpuTable(steps),
    '',
    '## PostgreSQL statements / commits per completed payment',
    '',
    "Every query each service process sent through `pg` (counted in the process by tools/bench/src/statement-counter.preload.ts; a commit is a `COMMIT`), from a step's start until it settled, divided by the payments the step completed. Background work in that window (outbox relay, reconciliation) counts too.",
    '',
    ...databaseTable(system),
    '',
  ].join('\n');
}

function throughputVerdict(verdicts: Verdicts): string {
  return `milestone ≥ ${THROUGHPUT_SHARE_OF_PGBENCH_MILESTONE}: ${yesNo(verdicts.throughputMilestoneMet)}; goal ≥ ${THROUGHPUT_SHARE_OF_PGBENCH_MIN}: ${yesNo(verdicts.throughputTargetMet)}`;
}

/** The README's lines for the latest plain run (between its bench markers). */
export function readmeQuote(report: BenchReport, reportPath: string): string {
  const { system, ceilings, verdicts, machine } = report;
  const { halfMax, overload, effects } = system;
  const ratio = verdicts.paymentsPerPgbenchTps;
  return [
    `Latest \`${report.command}\` ([report](${reportPath}), ${report.startedAt.slice(0, 10)}, ${machine.cores} cores, load average ${machine.loadAverage1mAtStart.toFixed(1)} at the start):`,
    '',
    `- sustained ${rate(system.sustainedCompletedPerS)} payments/s completed end to end (${ratio === undefined ? 'n/a' : ratio.toFixed(3)} × pgbench's ${ceilings.pgbench.tps.toFixed(0)} TPS; ${throughputVerdict(verdicts)}); Kafka's producer perf test: ${ceilings.producerPerf.recordsPerS.toFixed(0)} records/s of 1 KiB.`,
    ...(halfMax === undefined
      ? []
      : [
          `- at half that rate (${rate(halfMax.ratePerS)}/s): accept p99 ${formatMs(halfMax.acceptLatency.p99Ms)} ms, end-to-end p99 ${formatMs(halfMax.e2eLatency.p99Ms)} ms (targets < ${HALF_MAX_ACCEPT_P99_MS_MAX} / < ${HALF_MAX_E2E_P99_MS_MAX} ms: ${yesNo(verdicts.halfMaxLatencyTargetMet)}).`,
        ]),
    ...(overload === undefined
      ? []
      : [
          `- at twice it (${rate(overload.ratePerS)}/s): ${statusText(overload)}; ${overload.shed.withRetryAfter} of ${overload.shed.count} shed answers carried Retry-After; admitted payments' end-to-end p99 ${formatMs(overload.e2eLatency.p99Ms)} ms; every process still running: ${yesNo(verdicts.noProcessExited)}.`,
        ]),
    `- ${effects.orders} orders of completed payments: ${effects.walletOnce} credited once, ${effects.ledgerOnce} posted once, ${effects.walletMoreThanOnce + effects.ledgerMoreThanOnce} duplicates; psp-sim charged ${system.charges.ordersChargedMoreThanOnce} orders twice.`,
  ].join('\n');
}

/** A variant (other Kafka client, more instances) beside the latest plain run. */
export function comparisonLines(report: BenchReport, baseline: BenchReport): string[] {
  const row = (name: string, of: (candidate: BenchReport) => string) =>
    `| ${name} | ${of(baseline)} | ${of(report)} |`;
  const step = (candidate: BenchReport) => candidate.system.fixed ?? candidate.system.halfMax;
  return [
    `## Compared with the latest plain run (${baseline.startedAt.slice(0, 10)})`,
    '',
    '| figure | plain run | this run |',
    '| --- | --: | --: |',
    row('Kafka client', (candidate) => candidate.options.kafkaClient ?? 'default (kafkajs)'),
    row('instances per consumer service', (candidate) => String(candidate.options.instances)),
    row('pgbench TPS (same machine, same run)', (candidate) => candidate.ceilings.pgbench.tps.toFixed(0)),
    row('sustained completed/s', (candidate) => rate(candidate.system.sustainedCompletedPerS)),
    row(
      'measured step',
      (candidate) => `${step(candidate)?.kind ?? 'n/a'} ${rate(step(candidate)?.ratePerS)}/s`,
    ),
    row('accept p99 ms', (candidate) => formatMs(step(candidate)?.acceptLatency.p99Ms)),
    row(
      'e2e p50 / p99 ms',
      (candidate) =>
        `${formatMs(step(candidate)?.e2eLatency.p50Ms)} / ${formatMs(step(candidate)?.e2eLatency.p99Ms)}`,
    ),
    '',
  ];
}
