/**
 * Reconciliation at scale: a settlement file of each size ingested and matched by the real service
 * (its own process, real PostgreSQL, Kafka and HTTP), timed, and its memory taken from /proc.
 *
 *   npm run bench:recon [-- --sizes 100000,1000000 --psp acme --cpu-prof <dir> --no-report]
 *
 * For each size: Keel's side of the day (a success for most charges, a failure for a share of them)
 * is produced to Kafka and applied by the service's view consumer; then the PSP's file, made by
 * psp-sim's generator and faults in its dialect, is uploaded (POST /v1/reconciliation/runs/upload)
 * and the run timed from the request to its answer. Prints the figures side by side and writes
 * docs/benchmarks/reconciliation.md and .json; the notes below the report's marker are kept.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { workspaceRoot } from '@keel/local-infra';
import { machineFacts, type MachineFacts } from './machine-facts';
import { kafkaLibDirectory } from './producer-perf';
import { parseReconBenchOptions, type ReconBenchOptions } from './recon-bench-options';
import { runReconBench, type ReconBenchFigures } from './recon-bench-run';

const REPORT_PATH = join('docs', 'benchmarks', 'reconciliation.md');
const JSON_PATH = join('docs', 'benchmarks', 'reconciliation.json');
/** Everything below this line in the report is written by hand and kept across runs. */
export const NOTES_MARKER = '<!-- notes: written by hand, kept by npm run bench:recon -->';
/** The issue's figure: a million rows ingested and matched in under a minute. */
const TOTAL_S_MAX = 60;
const TARGET_ROWS = 1_000_000;
/** Flat: the largest file's peak resident set within this factor of the smallest's. */
const PEAK_RSS_GROWTH_FACTOR_MAX = 1.25;

const mebibytes = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
const seconds = (value: number | undefined): string => (value === undefined ? '–' : value.toFixed(1));

interface Verdicts {
  readonly millionRowsUnderMinute?: boolean;
  readonly peakRssFlat?: boolean;
}

function verdictsOf(figures: readonly ReconBenchFigures[]): Verdicts {
  const million = figures.find((figure) => figure.rows >= TARGET_ROWS);
  const smallest = figures.reduce<ReconBenchFigures | undefined>(
    (low, figure) => (low === undefined || figure.rows < low.rows ? figure : low),
    undefined,
  );
  const largest = figures.reduce<ReconBenchFigures | undefined>(
    (high, figure) => (high === undefined || figure.rows > high.rows ? figure : high),
    undefined,
  );
  return {
    millionRowsUnderMinute: million === undefined ? undefined : million.totalS < TOTAL_S_MAX,
    peakRssFlat:
      smallest === undefined || largest === undefined || smallest === largest
        ? undefined
        : largest.peakRssBytes <= smallest.peakRssBytes * PEAK_RSS_GROWTH_FACTOR_MAX,
  };
}

function table(figures: readonly ReconBenchFigures[]): string {
  const column = (label: string, cell: (figure: ReconBenchFigures) => string) =>
    `| ${label} | ${figures.map(cell).join(' | ')} |`;
  const classes = [...new Set(figures.flatMap((figure) => Object.keys(figure.counts)))];
  return [
    `| | ${figures.map((figure) => `${figure.rows.toLocaleString('en')} rows`).join(' | ')} |`,
    `| --- | ${figures.map(() => '--:').join(' | ')} |`,
    column('file (MiB)', (f) => mebibytes(f.fileBytes)),
    column('**total: POST → 201 (s)**', (f) => `**${seconds(f.totalS)}**`),
    column('ingestion (s)', (f) => seconds(f.phasesS['ingestion'])),
    column('matching (s)', (f) => seconds(f.phasesS['matching'])),
    column('three-way check (s)', (f) => seconds(f.phasesS['threeWayCheck'])),
    column('rows/s, total', (f) => Math.round(f.rows / f.totalS).toLocaleString('en')),
    column('**peak RSS during the run (MiB, VmHWM)**', (f) => `**${mebibytes(f.peakRssBytes)}**`),
    column('RSS before the run (MiB)', (f) => mebibytes(f.rssBeforeBytes)),
    column('peak V8 heap used (MiB)', (f) => mebibytes(f.peakHeapUsedBytes)),
    column('run status', (f) => f.runStatus),
    column('discrepancies', (f) => f.discrepancies.toLocaleString('en')),
    ...classes.map((name) => column(`class ${name}`, (f) => (f.counts[name] ?? 0).toLocaleString('en'))),
    column("Keel's events (view set-up)", (f) => f.keelEvents.toLocaleString('en')),
    column('view built in (s, set-up)', (f) => seconds(f.viewBuiltS)),
  ].join('\n');
}

function verdictLines(verdicts: Verdicts): string[] {
  const said = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? 'met' : 'NOT met');
  return [
    `- ${TARGET_ROWS.toLocaleString('en')} rows ingested and matched in under ${TOTAL_S_MAX} s: ${said(verdicts.millionRowsUnderMinute)}`,
    `- peak memory flat (largest file's peak RSS ≤ ${PEAK_RSS_GROWTH_FACTOR_MAX} × the smallest's): ${said(verdicts.peakRssFlat)}`,
  ];
}

async function keptNotes(path: string): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    const at = text.indexOf(NOTES_MARKER);
    return at < 0 ? '' : text.slice(at + NOTES_MARKER.length).trimStart();
  } catch {
    return '';
  }
}

async function writeReport(
  options: ReconBenchOptions,
  machine: MachineFacts,
  startedAt: string,
  figures: readonly ReconBenchFigures[],
  verdicts: Verdicts,
): Promise<void> {
  const path = join(workspaceRoot(), REPORT_PATH);
  const notes = await keptNotes(path);
  const text = [
    '# Reconciliation at scale',
    '',
    `Command: \`npm run bench:recon -- --sizes ${options.sizes.join(',')} --psp ${options.psp}\``,
    '',
    `Date: ${startedAt}. Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}; Node ${machine.node}, PostgreSQL ${machine.postgres}, Kafka ${machine.kafka}; git ${machine.gitCommit}; 1-minute load average ${machine.loadAverage1mAtStart.toFixed(1)} at the start.`,
    '',
    `One PSP day (${options.psp}, ${options.date}, seed ${options.seed}) per size, each on a fresh reconciliation process, database and topic namespace. The file is psp-sim's synthetic day in ${options.psp}'s dialect with psp-sim's settlement faults (missing, amount, currency, duplicate and fee rows, ${options.faultShare * 100} % of rows each) and 1 % refunds; Keel's side is a success event for each charge but a ${options.faultShare * 100} % share that Keel failed, produced to Kafka and applied by the service's view consumer before the run (set-up, not timed in the total). The run is the upload (POST /v1/reconciliation/runs/upload, streamed with backpressure) until its 201: ingestion, matching, the three-way check and the commit. Phases come from the service's \`keel_reconciliation_run_phase_duration_seconds\`; memory from /proc/<pid>/status of the service process (VmHWM reset to the current RSS just before the upload, plus VmRSS sampled every 100 ms) and its /metrics (\`nodejs_heap_size_used_bytes\` every second).`,
    '',
    table(figures),
    '',
    ...verdictLines(verdicts),
    '',
    NOTES_MARKER,
    '',
    notes,
  ].join('\n');
  await writeFile(path, text.trimEnd() + '\n');
  await writeFile(
    join(workspaceRoot(), JSON_PATH),
    JSON.stringify(
      { command: 'npm run bench:recon', startedAt, options, machine, figures, verdicts },
      null,
      2,
    ) + '\n',
  );
  console.log(`\nreport: ${REPORT_PATH} (and ${JSON_PATH})`);
}

async function main(): Promise<void> {
  const options = parseReconBenchOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const machine = await machineFacts(kafkaLibDirectory());
  const nodeArguments =
    options.cpuProfileDirectory === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDirectory}`];
  const figures: ReconBenchFigures[] = [];
  for (const rows of options.sizes) {
    console.log(`${rows.toLocaleString('en')} rows …`);
    const figure = await runReconBench(
      {
        psp: options.psp,
        date: options.date,
        rows,
        seed: options.seed,
        faultShare: options.faultShare,
        feeContracts: options.feeContracts,
      },
      nodeArguments,
      options.keepDatabase,
    );
    console.log(JSON.stringify(figure));
    figures.push(figure);
  }
  const verdicts = verdictsOf(figures);
  console.log(`\n${table(figures)}\n\n${verdictLines(verdicts).join('\n')}`);
  if (options.writeReport) await writeReport(options, machine, startedAt, figures, verdicts);
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
