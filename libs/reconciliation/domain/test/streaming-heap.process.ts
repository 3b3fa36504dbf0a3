// Reads a generated settlement file and writes one JSON line: rows read, the summary's count and
// the largest growth of the retained heap (after a full GC) seen while reading. A child process
// (node --expose-gc) so the figure is the parser's alone, at production speed.
import { settlementParsers } from '../src/settlement-parsers';
import { isSettlementPsp } from '../src/settlement-psp';
import { generatedSettlementFile } from './generated-settlement-file';

const HEAP_SAMPLES = 10;

async function main(): Promise<void> {
  const [psp, rowsText] = process.argv.slice(2);
  const rows = Number(rowsText);
  if (!isSettlementPsp(psp) || !Number.isInteger(rows) || rows < HEAP_SAMPLES) {
    throw new Error('usage: streaming-heap.process.ts <psp> <rows>');
  }
  const collectGarbage = (globalThis as { gc?: () => void }).gc;
  if (collectGarbage === undefined) throw new Error('run with node --expose-gc');
  const retainedHeap = (): number => {
    collectGarbage();
    return process.memoryUsage().heapUsed;
  };

  const reading = settlementParsers()[psp].parse(generatedSettlementFile(psp, rows), '2026-12-07');
  const baseline = retainedHeap();
  const startedAt = performance.now();
  let rowCount = 0;
  let maxHeapGrowthBytes = 0;
  for await (const row of reading) {
    rowCount += row.amountMinor > 0n ? 1 : 0;
    if (rowCount % Math.floor(rows / HEAP_SAMPLES) === 0) {
      maxHeapGrowthBytes = Math.max(maxHeapGrowthBytes, retainedHeap() - baseline);
    }
  }
  const elapsedMs = Math.round(performance.now() - startedAt);
  process.stdout.write(
    `${JSON.stringify({ rowCount, summaryRowCount: reading.summary.rowCount, maxHeapGrowthBytes, elapsedMs })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
