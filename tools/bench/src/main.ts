import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { resolveEndpoints, workspaceRoot } from '@keel/local-infra';
import { parseBenchOptions, USAGE, variantName, type BenchOptions } from './bench-options';
import { benchSystem, CONSUMER_SERVICES } from './bench-run';
import { machineFacts } from './machine-facts';
import { runPgbench } from './pgbench';
import { kafkaLibDirectory, runProducerPerf } from './producer-perf';
import { withQuotedFigures } from './readme-quote';
import { markdownReport, readmeQuote, summaryLines, verdictsOf, type BenchReport } from './report';

const PGBENCH_BINARY = process.env['PGBENCH'] ?? 'pgbench';
const REPORT_BASENAME = 'throughput-latency';
const REPORT_DIRECTORY = join('docs', 'benchmarks');

async function ceilings(options: BenchOptions) {
  console.log('ceilings: pgbench ...');
  const pgbench = await runPgbench({
    binary: PGBENCH_BINARY,
    scale: 8,
    clients: 8,
    threads: 2,
    durationS: options.pgbenchDurationS,
  });
  console.log(`  ${pgbench.tps.toFixed(0)} TPS; kafka ProducerPerformance ...`);
  const producerPerf = await runProducerPerf({
    brokers: resolveEndpoints().kafkaBrokers,
    records: options.producerPerfRecords,
    recordSizeBytes: 1_024,
  });
  console.log(`  ${producerPerf.recordsPerS.toFixed(0)} records/s`);
  return { pgbench, producerPerf };
}

/** The latest plain run's report, the reference for variants; undefined before the first one. */
async function readBaseline(path: string): Promise<BenchReport | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as BenchReport);
}

function fixedRate(options: BenchOptions, baseline: BenchReport | undefined): number | undefined {
  if (options.ratePerS !== undefined || options.instances === 1) return options.ratePerS;
  const rate = baseline?.system.sustainedMaxRatePerS;
  if (rate === undefined)
    throw new Error('no sustained maximum from a plain run to scale at; pass --rate <payments/s>');
  return rate;
}

async function quoteInReadme(report: BenchReport, reportPath: string): Promise<void> {
  const readmePath = join(workspaceRoot(), 'README.md');
  const readme = withQuotedFigures(await readFile(readmePath, 'utf8'), readmeQuote(report, reportPath));
  if (readme === undefined) console.error('README.md has no bench markers; its figures were not updated');
  else await writeFile(readmePath, readme);
}

/**
 * `npm run bench [-- options]`: the machine's ceilings (pgbench, Kafka's producer perf test), then
 * Keel on an isolated local system under open-loop load at rising rates, at half its sustained
 * maximum and at twice it; or, with `--instances`/`--rate`, one step at a fixed rate. Prints a
 * summary and writes docs/benchmarks/throughput-latency[-<variant>].md and .json; a plain full
 * run also updates the figures the README quotes.
 */
async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const options = parseBenchOptions(argv);
  const directory = join(workspaceRoot(), REPORT_DIRECTORY);
  const variant = variantName(options);
  const baseline = await readBaseline(join(directory, `${REPORT_BASENAME}.json`));
  const fixedRatePerS = fixedRate(options, baseline);
  const startedAt = new Date().toISOString();
  const machine = await machineFacts(kafkaLibDirectory());
  const measuredCeilings = await ceilings(options);
  const system = await benchSystem(options, fixedRatePerS);
  const report: BenchReport = {
    command: ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
    startedAt,
    finishedAt: new Date().toISOString(),
    options,
    machine,
    ceilings: measuredCeilings,
    system,
    verdicts: verdictsOf(system, measuredCeilings.pgbench, options.instances > 1 ? CONSUMER_SERVICES : []),
    loadAverage1mAtEnd: loadavg()[0],
  };
  const basename = variant === undefined ? REPORT_BASENAME : `${REPORT_BASENAME}-${variant}`;
  const title = `Throughput and latency${variant === undefined ? '' : ` (${variant})`}`;
  await mkdir(directory, { recursive: true });
  const markdown = markdownReport(report, title, variant === undefined ? undefined : baseline);
  await writeFile(join(directory, `${basename}.md`), markdown);
  await writeFile(join(directory, `${basename}.json`), `${JSON.stringify(report, null, 2)}\n`);
  if (variant === undefined) await quoteInReadme(report, `${REPORT_DIRECTORY}/${basename}.md`);
  console.log(['', ...summaryLines(report), '', `report: ${REPORT_DIRECTORY}/${basename}.md`].join('\n'));
  const promisesKept = report.verdicts.noProcessExited && report.verdicts.noDuplicateEffects;
  if (!promisesKept) console.error('bench: a process exited or an effect was duplicated (see above)');
  return promisesKept ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
