import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { FaultClass, InjectedFault } from '../faults/fault';
import { invariantLine, type InvariantResult } from '../checker/invariant-result';
import type { ProcessCrash } from '../environment/chaos-environment';
import type { ClientFigures, FaultTally, PaymentFigures } from './run-figures';

export interface MachineFacts {
  readonly cpus: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
}

export interface ChaosReport {
  readonly command: string;
  readonly seed: number;
  readonly profile: string;
  /** The planted bug of a broken-build run; absent for a real check. */
  readonly breakName?: string;
  readonly machine: MachineFacts;
  readonly startedAt: string;
  readonly endedAt: string;
  /** Payment API instances; several sit behind the readiness-aware balancer. */
  readonly paymentInstances: number;
  readonly quiescence: { readonly settled: boolean; readonly waitedMs: number };
  readonly faults: Readonly<Record<FaultClass, FaultTally>>;
  /** Every fault as it was injected (JSON only): when, on what, what was observed, any error. */
  readonly injectedFaults: readonly InjectedFault[];
  readonly payments: PaymentFigures;
  readonly clients: ClientFigures;
  readonly invariants: readonly InvariantResult[];
  readonly acceptance: { readonly share: number; readonly minShare: number; readonly met: boolean };
  /** Processes that exited on their own during the run. */
  readonly crashes: readonly ProcessCrash[];
  readonly passed: boolean;
}

export function machineFacts(): MachineFacts {
  return {
    cpus: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
  };
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

function paymentLine(instances: number): string {
  return instances > 1
    ? `Payment API: ${instances} instances behind a readiness-aware balancer; a service-kill of payment kills one.`
    : 'Payment API: one instance, no balancer; a service-kill of payment leaves no instance to answer.';
}

function crashLine(crashes: readonly ProcessCrash[]): string {
  const named = (list: readonly ProcessCrash[]): string =>
    list.map((crash) => `${crash.process} at ${crash.at}`).join(', ');
  const failedStarts = crashes.filter((crash) => crash.whileStarting);
  const onceReady = crashes.filter((crash) => !crash.whileStarting);
  const starts =
    failedStarts.length === 0
      ? ''
      : ` Failed starts, started again: ${failedStarts.length} (${named(failedStarts)}).`;
  return onceReady.length === 0
    ? `Crashes: none (every process that exited once ready was killed by a fault).${starts}`
    : `Crashes: ${onceReady.length} — FAIL: ${named(onceReady)} exited on their own.${starts}`;
}

const percent = (share: number): string => `${(share * 100).toFixed(1)} %`;

export function reportMarkdown(report: ChaosReport): string {
  const { payments, clients, machine } = report;
  return [
    `# Chaos run: profile ${report.profile}, seed ${report.seed} — ${report.passed ? 'PASS' : 'FAIL'}`,
    '',
    `Command: \`${report.command}\`${report.breakName === undefined ? '' : ` (planted bug: ${report.breakName})`}`,
    `Started ${report.startedAt}, ended ${report.endedAt}. Machine: ${machine.cpus} CPUs, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}.`,
    paymentLine(report.paymentInstances),
    `Quiescence: ${report.quiescence.settled ? 'settled' : 'did NOT settle'} after ${Math.round(report.quiescence.waitedMs / 1_000)} s.`,
    crashLine(report.crashes),
    '',
    '## Invariants',
    '',
    ...table(
      ['', 'result', 'checked', 'offending', 'detail'],
      report.invariants.map((result) => [
        result.invariant,
        result.passed ? 'PASS' : 'FAIL',
        result.checked,
        result.offendingCount === 0 ? '' : result.offending.join(', '),
        result.detail,
      ]),
    ),
    '',
    '## Faults injected',
    '',
    'A fault starts at its moment, or later once the fault before it in its lane (its target, or the network path to it) has ended, its undo included.',
    '',
    ...table(
      ['class', 'count', 'errors', 'started late', 'longest start delay'],
      Object.entries(report.faults).map(([faultClass, tally]) => [
        faultClass,
        tally.count,
        tally.errors,
        tally.startedLate,
        tally.startedLate === 0 ? '' : `${(tally.maxStartDelayMs / 1_000).toFixed(1)} s`,
      ]),
    ),
    '',
    '## Payments',
    '',
    ...table(
      [
        'attempted',
        'accepted',
        'completed',
        'partially failed',
        'failed',
        'of which declined',
        'not terminal',
        'rejected',
        'of which method unavailable',
      ],
      [
        [
          payments.attempted,
          payments.accepted,
          payments.completed,
          payments.partiallyFailed,
          payments.failed,
          payments.declined,
          payments.notTerminal,
          payments.rejected,
          payments.rejectedMethodUnavailable,
        ],
      ],
    ),
    '',
    `Acceptance: ${percent(report.acceptance.share)} of checkouts accepted within the clients' retries, method_unavailable refusals apart ` +
      `(minimum ${percent(report.acceptance.minShare)}): ${report.acceptance.met ? 'PASS' : 'FAIL'}.`,
    `Clients: ${clients.requests} requests, ${clients.retries} retries, ${clients.concurrentDuplicates} checkouts sent as concurrent duplicates, ` +
      `${clients.timeouts} timeouts, ${clients.networkErrors} network errors; statuses ${JSON.stringify(clients.statusCounts)}.`,
    `Answered latency: p50 ${clients.latencyMs.p50} ms, p95 ${clients.latencyMs.p95} ms, p99 ${clients.latencyMs.p99} ms, max ${clients.latencyMs.max} ms.`,
    '',
  ].join('\n');
}

export function reportLines(report: ChaosReport): string[] {
  return report.invariants.map(invariantLine);
}

/** Writes `chaos-<profile>.json` and `.md` under `directory`; returns the markdown path. */
export async function writeReport(directory: string, report: ChaosReport): Promise<string> {
  await mkdir(directory, { recursive: true });
  const base = join(directory, `chaos-${report.profile}`);
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${base}.md`, reportMarkdown(report));
  return `${base}.md`;
}
