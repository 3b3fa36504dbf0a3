/**
 * Run by settlement-upload-streaming.int-spec.ts in a process of its own (`node --expose-gc -r
 * @swc-node/register`): starts the ingestion-only reconciliation service, uploads a settlement file
 * and prints, as one JSON line, what was stored and how far the process's retained memory grew while
 * it streamed. A process of its own: a jest worker that ran earlier suites carries their leftovers,
 * which allocate beside the upload (25–35 MiB of "growth" inside a full `npm test`, 9–12 MiB alone).
 */
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { operatorAuthorization, postStreamed, type StreamedPostAnswer } from '@keel/testing';
import { startReconciliationIngestionOnly, type ReconciliationUnderTest } from './reconciliation-harness';

export const UPLOAD_ROWS = 300_000;
/**
 * Retained memory is sampled at fixed points of the upload, not on a timer: a full GC blocks the
 * service (in this process), and a timer took four samples only when the upload ran fast.
 */
export const SAMPLE_EVERY_ROWS = 50_000;
const DATE = '2026-11-20';
/** A small upload of another day first: what the first upload costs once is not growth with a file. */
const WARM_UP_ROWS = 10_000;
const WARM_UP_DATE = '2026-11-19';

export interface UploadMemoryReading {
  readonly status: number;
  readonly runStatus: string;
  readonly rowCount: number;
  readonly storedRows: number;
  readonly fileBytes: number;
  readonly retainedGrowthBytes: number;
  readonly samples: number;
}

/** Heap and buffers (the file's bytes live outside the heap) still reachable after a full GC. */
function retainedBytes(): number {
  (globalThis as unknown as { gc: () => void }).gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/**
 * An acme file of `rows` charges of `date`, made as it is read: the sender holds no more than a
 * thousand lines. `afterRows` runs as each thousand is handed over.
 */
async function* acmeFile(
  rows: number,
  date: string,
  afterRows: (sent: number) => void = () => undefined,
): AsyncGenerator<Buffer> {
  yield Buffer.from(
    'settlement_date,psp_reference,merchant_reference,type,amount_minor,currency,fee_minor,event_time\n',
  );
  const lines: string[] = [];
  for (let index = 0; index < rows; index += 1) {
    const id = String(index).padStart(12, '0');
    lines.push(
      `${date},ch_${id}a1b2c3d4e5f6,po_0f8fad5b-d9cb-469f-a165-${id},charge,${10_000 + (index % 977)},KRW,250,${date}T10:11:12.345Z\n`,
    );
    if (lines.length === 1_000) {
      yield Buffer.from(lines.join(''));
      lines.length = 0;
      afterRows(index + 1);
    }
  }
  if (lines.length > 0) yield Buffer.from(lines.join(''));
}

/** POSTs `body` as an acme upload of `date`; the sender writes only as fast as the service reads. */
function upload(
  service: ReconciliationUnderTest,
  date: string,
  body: AsyncIterable<Buffer>,
): Promise<StreamedPostAnswer> {
  return postStreamed(
    new URL(`${service.baseUrl}/v1/reconciliation/runs/upload?psp=acme&date=${date}`),
    { authorization: operatorAuthorization('operator'), 'content-type': 'text/csv' },
    Readable.from(body),
  );
}

async function measure(service: ReconciliationUnderTest): Promise<UploadMemoryReading> {
  const warmUp = await upload(service, WARM_UP_DATE, acmeFile(WARM_UP_ROWS, WARM_UP_DATE));
  if (warmUp.status !== 201) throw new Error(`the warm-up upload answered ${warmUp.status}: ${warmUp.body}`);
  // The lowest and highest retained memory seen through the upload.
  let floor = retainedBytes();
  let peak = floor;
  let samples = 0;
  let fileBytes = 0;
  const sample = (sent: number) => {
    if (sent % SAMPLE_EVERY_ROWS !== 0) return;
    samples += 1;
    const retained = retainedBytes();
    floor = Math.min(floor, retained);
    peak = Math.max(peak, retained);
  };
  const counted = async function* (): AsyncGenerator<Buffer> {
    for await (const chunk of acmeFile(UPLOAD_ROWS, DATE, sample)) {
      fileBytes += chunk.byteLength;
      yield chunk;
    }
  };
  const answer = await upload(service, DATE, counted());
  const run = JSON.parse(answer.body) as {
    status: string;
    summary?: { file: { id: string; rowCount: number } };
  };
  const [stored] = (await service.app
    .get(DataSource)
    .query('SELECT count(*)::int AS rows FROM settlement_rows WHERE file_id = $1', [
      run.summary?.file.id ?? '',
    ])) as { rows: number }[];
  return {
    status: answer.status,
    runStatus: run.status,
    rowCount: run.summary?.file.rowCount ?? 0,
    storedRows: stored?.rows ?? 0,
    fileBytes,
    retainedGrowthBytes: peak - floor,
    samples,
  };
}

async function main(): Promise<void> {
  const service = await startReconciliationIngestionOnly();
  try {
    process.stdout.write(`${JSON.stringify(await measure(service))}\n`);
  } finally {
    await service.stop();
  }
}

if (require.main === module)
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
