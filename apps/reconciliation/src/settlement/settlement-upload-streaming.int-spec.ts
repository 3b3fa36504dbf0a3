import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from '@keel/local-infra';
import { SAMPLE_EVERY_ROWS, UPLOAD_ROWS, type UploadMemoryReading } from '../../test/upload-memory.probe';

jest.setTimeout(300_000);

/**
 * The file is ~36 MiB; streaming retains 9–12 MiB (a batch, buffers, the service's caches warming),
 * measured in a process of its own (see the probe).
 */
const RETAINED_GROWTH_MAX_BYTES = 24 * 2 ** 20;

/** The probe in a fresh Node process, with a GC it can call. */
async function readUploadMemory(): Promise<UploadMemoryReading> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--expose-gc',
      '-r',
      '@swc-node/register',
      join('apps', 'reconciliation', 'test', 'upload-memory.probe.ts'),
    ],
    { cwd: workspaceRoot(), env: process.env, maxBuffer: 16 * 2 ** 20, timeout: 280_000 },
  );
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(lastLine) as UploadMemoryReading;
}

describe('an uploaded settlement file streams', () => {
  it(`stores a ${UPLOAD_ROWS.toLocaleString('en')}-row upload with retained memory that does not grow with it`, async () => {
    const reading = await readUploadMemory();

    expect(reading).toMatchObject({
      status: 201,
      runStatus: 'ingested',
      rowCount: UPLOAD_ROWS,
      storedRows: UPLOAD_ROWS,
    });
    process.stdout.write(
      `${UPLOAD_ROWS} rows, ${(reading.fileBytes / 2 ** 20).toFixed(1)} MiB uploaded; retained memory grew at most ${(reading.retainedGrowthBytes / 2 ** 20).toFixed(1)} MiB (${reading.samples} samples)\n`,
    );
    // A service that held the file (or its rows) would retain all of it and more.
    expect(reading.fileBytes).toBeGreaterThan(RETAINED_GROWTH_MAX_BYTES);
    // Sampled through the upload, not just before and after it.
    expect(reading.samples).toBe(UPLOAD_ROWS / SAMPLE_EVERY_ROWS);
    expect(reading.retainedGrowthBytes).toBeLessThan(RETAINED_GROWTH_MAX_BYTES);
  });
});
