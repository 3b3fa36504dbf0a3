import { request } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { DataSource } from 'typeorm';
import { operatorAuthorization } from '@keel/testing';
import {
  startReconciliationIngestionOnly,
  type ReconciliationUnderTest,
} from '../../test/reconciliation-harness';

jest.setTimeout(300_000);

const ROWS = 300_000;
const DATE = '2026-11-20';
/**
 * A small upload of another day first: what the first upload costs once (code loaded on first use,
 * pooled connections, prepared statements, caches) is not memory that grows with a file.
 */
const WARM_UP_ROWS = 10_000;
const WARM_UP_DATE = '2026-11-19';
/**
 * The file is ~36 MiB; streaming retains ~9 MiB alone and up to ~15 MiB inside a full `npm test`
 * (a batch, buffers, the service's caches warming, what earlier suites leave to be freed).
 */
const RETAINED_GROWTH_MAX_BYTES = 24 * 2 ** 20;
/**
 * Retained memory is sampled at fixed points of the upload, not on a timer: a full GC of a jest
 * process that ran earlier suites takes up to a second and blocks the service (in this process), so
 * a timer either slowed the upload past its timeout (every 100 ms: 277 s inside `npm test`) or, every
 * 3 s, took four samples only when the upload ran fast. Every 50,000 rows sent: six samples.
 */
const SAMPLE_EVERY_ROWS = 50_000;

// A GC the test can call, so that what is sampled is what the service retains, not garbage.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Heap and buffers (the file's bytes live outside the heap) still reachable after a full GC. */
function retainedBytes(): number {
  collectGarbage();
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

let service: ReconciliationUnderTest;

/** POSTs `body` as an acme upload, streamed with backpressure; the status and body answered. */
async function upload(date: string, body: AsyncIterable<Buffer>): Promise<{ status: number; body: string }> {
  const url = new URL(`${service.baseUrl}/v1/reconciliation/runs/upload?psp=acme&date=${date}`);
  const sending = request(url, {
    method: 'POST',
    headers: { authorization: operatorAuthorization('operator'), 'content-type': 'text/csv' },
  });
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    sending.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    sending.on('error', reject);
  });
  await pipeline(Readable.from(body), sending);
  return answered;
}

beforeAll(async () => {
  service = await startReconciliationIngestionOnly();
});

afterAll(async () => {
  await service?.stop();
});

describe('an uploaded settlement file streams', () => {
  it(`stores a ${ROWS.toLocaleString('en')}-row upload with retained memory that does not grow with it`, async () => {
    expect((await upload(WARM_UP_DATE, acmeFile(WARM_UP_ROWS, WARM_UP_DATE))).status).toBe(201);
    // The lowest and highest retained memory seen: the lowest, not the first, so that memory an
    // earlier suite in the same worker leaves to be freed does not hide growth.
    let floor = retainedBytes();
    let peak = floor;
    let samples = 0;
    const sample = (sent: number) => {
      if (sent % SAMPLE_EVERY_ROWS !== 0) return;
      samples += 1;
      const retained = retainedBytes();
      floor = Math.min(floor, retained);
      peak = Math.max(peak, retained);
    };
    let fileBytes = 0;
    const counted = async function* (): AsyncGenerator<Buffer> {
      for await (const chunk of acmeFile(ROWS, DATE, sample)) {
        fileBytes += chunk.byteLength;
        yield chunk;
      }
    };

    // node:http with pipeline: the sender writes only as fast as the service reads (fetch's
    // iterable bodies are read ahead into memory, which would measure the client, not the service).
    const answer = await upload(DATE, counted());
    const run = JSON.parse(answer.body) as {
      status: string;
      summary: { file: { id: string; rowCount: number } };
    };

    expect(answer.status).toBe(201);
    expect(run.status).toBe('ingested');
    expect(run.summary.file.rowCount).toBe(ROWS);
    const [stored] = (await service.app
      .get(DataSource)
      .query('SELECT count(*)::int AS rows FROM settlement_rows WHERE file_id = $1', [
        run.summary.file.id,
      ])) as {
      rows: number;
    }[];
    expect(stored?.rows).toBe(ROWS);
    const growth = peak - floor;
    process.stdout.write(
      `${ROWS} rows, ${(fileBytes / 2 ** 20).toFixed(1)} MiB uploaded; retained memory grew at most ${(growth / 2 ** 20).toFixed(1)} MiB (${samples} samples)\n`,
    );
    // A service that held the file (or its rows) would retain all of it and more.
    expect(fileBytes).toBeGreaterThan(RETAINED_GROWTH_MAX_BYTES);
    // Sampled through the upload, not just before and after it.
    expect(samples).toBe(ROWS / SAMPLE_EVERY_ROWS);
    expect(growth).toBeLessThan(RETAINED_GROWTH_MAX_BYTES);
  });
});
