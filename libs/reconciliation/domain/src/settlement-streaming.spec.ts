import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SettlementPsp } from './settlement-psp';

const ROWS = 200_000;
// Reading retains ~1.5 MB; a parser that kept every row would retain ~60 MB.
const HEAP_GROWTH_MAX_BYTES = 16 * 1024 * 1024;
const WORKSPACE_ROOT = join(__dirname, '..', '..', '..', '..');

interface StreamingFigures {
  rowCount: number;
  summaryRowCount: number;
  maxHeapGrowthBytes: number;
  elapsedMs: number;
}

/** test/streaming-heap.process.ts in a child node with a GC it can call. */
async function streamingFiguresOf(psp: SettlementPsp): Promise<StreamingFigures> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--expose-gc',
      '-r',
      '@swc-node/register',
      join(__dirname, '..', 'test', 'streaming-heap.process.ts'),
      psp,
      String(ROWS),
    ],
    { cwd: WORKSPACE_ROOT },
  );
  return JSON.parse(stdout) as StreamingFigures;
}

describe('settlement parsers stream', () => {
  it.each(['acme', 'nova', 'swiftpay'] as const)(
    'read a generated %s file of 200,000 rows with a retained heap that grows less than 16 MB',
    async (psp) => {
      const figures = await streamingFiguresOf(psp);

      expect(figures).toEqual(expect.objectContaining({ rowCount: ROWS, summaryRowCount: ROWS }));
      expect(figures.maxHeapGrowthBytes).toBeLessThan(HEAP_GROWTH_MAX_BYTES);
    },
    60_000,
  );
});
