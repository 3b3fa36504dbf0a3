import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Client } from 'pg';
import {
  buildEnvelope,
  PAYMENT_ORDER_EVENT_TYPES,
  TOPICS,
  toKafkaRecord,
  type EventEnvelope,
} from '@keel/contracts';
import { databaseUrlFor } from '@keel/database';
import { resolveEndpoints, stateDirectory, workspaceRoot } from '@keel/local-infra';
import { freePort, KeelSystem, PSP_IDS, SYSTEM_PROCESSES, type PspId } from '@keel/local-system';
import type { ReconciledPsp } from './recon-bench-options';
import type { OutgoingRecord } from '@keel/messaging';
import {
  createTestDatabase,
  createTestNamespace,
  postStreamed,
  sumOfMetric,
  waitFor,
  type StreamedPostAnswer,
} from '@keel/testing';
import { processMemoryOf, resetPeakRss } from './process-memory';

/** One PSP day of the bench: the PSP's file and Keel's side, both from one seed. */
export interface BenchDay {
  readonly psp: ReconciledPsp;
  readonly date: string;
  readonly rows: number;
  readonly seed: number;
  /** The share of rows each difference class strikes. */
  readonly faultShare: number;
  /** Each PSP's contract fee (basis points): the file's fees and the service's RECON_PSP_FEE_CONTRACTS. */
  readonly feeContracts: Readonly<Record<ReconciledPsp, number>>;
}

/** What psp-sim's day writer (a child process: tools may not import a service's domain) made. */
interface WrittenDay {
  readonly filePath: string;
  readonly keelPath: string;
  readonly fileBytes: number;
  readonly contentType: string;
}

/** A line of the Keel side's file (libs/psp-sim/domain/test/settlement-day.process.ts). */
interface KeelOutcomeLine {
  readonly outcome: 'succeeded' | 'failed';
  readonly paymentOrderId: string;
  readonly pspReference: string;
  readonly amountMinor: string;
  readonly currency: string;
  readonly at: string;
}

/** What one size measured. */
export interface ReconBenchFigures {
  readonly rows: number;
  readonly fileBytes: number;
  readonly keelEvents: number;
  /** Producing Keel's events and the view consumer applying them: set-up, not part of the run. */
  readonly viewBuiltS: number;
  /** The upload's POST sent → its 201 (the run completed): ingestion, every step and the commit. */
  readonly totalS: number;
  /** From the service's `keel_reconciliation_run_phase_duration_seconds`, by phase. */
  readonly phasesS: Readonly<Record<string, number>>;
  /** The service's resident set before the run, and its peak during it (VmHWM reset at the start). */
  readonly rssBeforeBytes: number;
  readonly peakRssBytes: number;
  /** The largest V8 heap used seen at the service's /metrics, sampled every second of the run. */
  readonly peakHeapUsedBytes: number;
  readonly runStatus: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly discrepancies: number;
}

const DAY_WRITER = join('libs', 'psp-sim', 'domain', 'test', 'settlement-day.process.ts');
const EXECUTOR = '/keel/executor';
const PRODUCE_BATCH_RECORDS = 5_000;
/** Read chunks of the file sent up; the service reads with backpressure whatever the size. */
const UPLOAD_CHUNK_BYTES = 64 * 1_024;
const VIEW_TIMEOUT_MS = 30 * 60_000;
const HEAP_SAMPLE_INTERVAL_MS = 1_000;
const RSS_SAMPLE_INTERVAL_MS = 100;

/** Writes the day's file and Keel's side with psp-sim's generators, before anything is timed. */
async function writeDay(day: BenchDay): Promise<WrittenDay> {
  const directory = join(stateDirectory(), 'recon-bench');
  await mkdir(directory, { recursive: true });
  const base = join(directory, `${day.psp}-${day.date}-${day.rows}-${day.seed}`);
  const paths = { filePath: `${base}.settlement`, keelPath: `${base}.keel.jsonl` };
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      DAY_WRITER,
      JSON.stringify({ ...day, feeBasisPoints: day.feeContracts[day.psp], ...paths }),
    ],
    { cwd: workspaceRoot(), maxBuffer: 1_024 * 1_024 },
  );
  const written = JSON.parse(stdout) as { fileBytes: number; contentType: string };
  return { ...paths, ...written };
}

function eventOf(line: KeelOutcomeLine, psp: PspId): EventEnvelope {
  const order = {
    paymentOrderId: line.paymentOrderId,
    paymentId: `pay_${line.paymentOrderId}`,
    sellerId: 'seller_bench',
    amount: { amountMinor: line.amountMinor, currency: line.currency },
    paymentMethod: { type: 'card' as const },
  };
  return line.outcome === 'failed'
    ? buildEnvelope({
        type: PAYMENT_ORDER_EVENT_TYPES.failed,
        source: EXECUTOR,
        time: line.at,
        data: {
          ...order,
          pspId: psp,
          failure: { code: 'psp_timeout', message: 'the charge timed out' },
          failedAt: line.at,
        },
      })
    : buildEnvelope({
        type: PAYMENT_ORDER_EVENT_TYPES.succeeded,
        source: EXECUTOR,
        time: line.at,
        data: {
          ...order,
          merchantId: 'merchant_bench',
          pspId: psp,
          pspReference: line.pspReference,
          succeededAt: line.at,
        },
      });
}

/** Produces Keel's side of the day to the payment-order topic, a batch at a time; the count. */
async function produceKeelSide(
  producer: { send(records: OutgoingRecord[]): Promise<void> },
  topic: string,
  day: BenchDay,
  keelPath: string,
): Promise<number> {
  let produced = 0;
  let batch: OutgoingRecord[] = [];
  for await (const text of createInterface({ input: createReadStream(keelPath), crlfDelay: Infinity })) {
    batch.push({ topic, ...toKafkaRecord(eventOf(JSON.parse(text) as KeelOutcomeLine, day.psp)) });
    if (batch.length >= PRODUCE_BATCH_RECORDS) {
      await producer.send(batch);
      produced += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await producer.send(batch);
  return produced + batch.length;
}

async function metricsText(baseUrl: string, authorization: string): Promise<string> {
  const answer = await fetch(`${baseUrl}/metrics`, { headers: { authorization } });
  return answer.text();
}

function phaseSumOf(exposition: string, phase: string): number | undefined {
  const line = exposition
    .split('\n')
    .find(
      (text) =>
        text.startsWith('keel_reconciliation_run_phase_duration_seconds_sum{') &&
        text.includes(`phase="${phase}"`),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Samples the service's resident set and heap until stopped; the largest of each. */
class MemorySampler {
  peakRssBytes = 0;
  peakHeapUsedBytes = 0;
  #running = true;
  readonly #loops: Promise<void>[];

  constructor(pid: number, metrics: () => Promise<string>) {
    this.#loops = [
      this.#every(RSS_SAMPLE_INTERVAL_MS, async () => {
        this.peakRssBytes = Math.max(this.peakRssBytes, (await processMemoryOf(pid)).rssBytes);
      }),
      this.#every(HEAP_SAMPLE_INTERVAL_MS, async () => {
        const heap = sumOfMetric(await metrics(), 'nodejs_heap_size_used_bytes') ?? 0;
        this.peakHeapUsedBytes = Math.max(this.peakHeapUsedBytes, heap);
      }),
    ];
  }

  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
  }

  async #every(intervalMs: number, sample: () => Promise<void>): Promise<void> {
    while (this.#running) {
      await sample();
      await sleep(intervalMs);
    }
  }
}

async function ports(): Promise<{
  ports: Record<(typeof SYSTEM_PROCESSES)[number], number>;
  pspPorts: Record<PspId, number>;
}> {
  const byName = {} as Record<(typeof SYSTEM_PROCESSES)[number], number>;
  for (const name of SYSTEM_PROCESSES) byName[name] = await freePort();
  const byPsp = {} as Record<PspId, number>;
  for (const psp of PSP_IDS) byPsp[psp] = await freePort();
  return { ports: byName, pspPorts: byPsp };
}

/**
 * One size: the reconciliation service alone as its own process on a fresh database and topic
 * namespace; Keel's side of the day produced to Kafka and applied by the service's own view
 * consumer; then the PSP's file uploaded over HTTP and the run timed, its memory sampled from
 * /proc and /metrics.
 */
export async function runReconBench(
  day: BenchDay,
  nodeArguments: readonly string[],
  keepDatabase = false,
): Promise<ReconBenchFigures> {
  const { databaseUrl, kafkaBrokers } = resolveEndpoints();
  const written = await writeDay(day);
  const namespace = await createTestNamespace();
  const database = await createTestDatabase('recon_bench');
  const producer = namespace.kafka.producer();
  let system: KeelSystem | undefined;
  try {
    system = await KeelSystem.start({
      root: workspaceRoot(),
      postgresUrl: databaseUrl,
      databaseOf: () => database.name,
      kafkaBrokers,
      topicNamespace: namespace.namespace,
      ...(await ports()),
      logDirectory: join(stateDirectory(), 'logs', 'recon-bench', namespace.namespace),
      logLevel: 'info',
      only: ['reconciliation'],
      nodeArguments,
      environment: {
        RECON_PSP_FEE_CONTRACTS: JSON.stringify(day.feeContracts),
        // Builds the view (set-up, not timed) in chunks of 1,000 events instead of 100.
        CONSUMER_CHUNK_SIZE: '1000',
      },
    });
    const baseUrl = system.url('reconciliation');
    const viewer = system.operatorAuthorization('viewer');
    const pid = system.process('reconciliation').pid;
    if (pid === undefined) throw new Error('the reconciliation service has no process id');

    const viewStartedMs = Date.now();
    await producer.connect();
    const keelEvents = await produceKeelSide(
      producer,
      namespace.topic(TOPICS.paymentOrder),
      day,
      written.keelPath,
    );
    const client = new Client({ connectionString: databaseUrlFor(databaseUrl, database.name) });
    await client.connect();
    try {
      await waitFor(
        async () => {
          const { rows } = await client.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM keel_payment_orders',
          );
          return rows[0]?.n === keelEvents;
        },
        { timeoutMs: VIEW_TIMEOUT_MS, intervalMs: 1_000, description: `${keelEvents} orders in the view` },
      );
    } finally {
      await client.end();
    }
    const viewBuiltS = (Date.now() - viewStartedMs) / 1_000;

    const rssBeforeBytes = (await processMemoryOf(pid)).rssBytes;
    await resetPeakRss(pid);
    const sampler = new MemorySampler(pid, () => metricsText(baseUrl, viewer));
    const startedMs = Date.now();
    let answer: StreamedPostAnswer;
    try {
      answer = await postStreamed(
        new URL(`${baseUrl}/v1/reconciliation/runs/upload?psp=${day.psp}&date=${day.date}`),
        { authorization: system.operatorAuthorization('operator'), 'content-type': written.contentType },
        createReadStream(written.filePath, { highWaterMark: UPLOAD_CHUNK_BYTES }),
      );
    } finally {
      await sampler.stop();
    }
    const totalS = (Date.now() - startedMs) / 1_000;
    const { peakRssBytes } = await processMemoryOf(pid);
    if (answer.status !== 201) throw new Error(`the run was answered ${answer.status}: ${answer.body}`);
    const run = JSON.parse(answer.body) as {
      status: string;
      summary: { matching?: { counts: Record<string, number>; discrepancies: { found: number } } };
    };
    const exposition = await metricsText(baseUrl, viewer);
    const phasesS: Record<string, number> = {};
    for (const phase of ['ingestion', 'matching', 'threeWayCheck']) {
      const seconds = phaseSumOf(exposition, phase);
      if (seconds !== undefined) phasesS[phase] = seconds;
    }
    return {
      rows: day.rows,
      fileBytes: written.fileBytes,
      keelEvents,
      viewBuiltS,
      totalS,
      phasesS,
      rssBeforeBytes,
      peakRssBytes: Math.max(peakRssBytes, sampler.peakRssBytes),
      peakHeapUsedBytes: sampler.peakHeapUsedBytes,
      runStatus: run.status,
      counts: run.summary.matching?.counts ?? {},
      discrepancies: run.summary.matching?.discrepancies.found ?? 0,
    };
  } finally {
    await producer.disconnect().catch(() => undefined);
    await system?.stop();
    if (keepDatabase) console.log(`database kept: ${database.name}`);
    else await database.drop();
    await namespace.delete();
    await rm(written.filePath, { force: true });
    await rm(written.keelPath, { force: true });
  }
}
