// A PSP's settlement day for the reconciliation bench (tools/bench, `npm run bench:recon`), written
// to disk before the run so that making it costs the run nothing: the file in the PSP's dialect,
// with psp-sim's own settlement faults, and Keel's side of the same day as JSON lines (one outcome
// per charge). A child process because tools may not import a service's domain. Argument: one
// JSON object (DayOptions); prints one JSON line (the file's size and media type).
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { SeededRandom } from '@keel/seeded-random';
import { isPspId, type PspId } from '../src/psp';
import {
  applyFaults,
  SETTLEMENT_PROFILES,
  syntheticSettlementRows,
  type SettlementFault,
  type SettlementFaultKind,
  type SettlementRow,
} from '../src/settlement';

interface DayOptions {
  readonly psp: PspId;
  readonly date: string;
  readonly rows: number;
  readonly seed: number;
  /** The share of rows each difference strikes. */
  readonly faultShare: number;
  /** The PSP's contract fee, as reconciliation is configured with it. */
  readonly feeBasisPoints: number;
  readonly filePath: string;
  readonly keelPath: string;
}

/** One order as the executor announced it: a line of the Keel side's file. */
interface KeelOutcomeLine {
  readonly outcome: 'succeeded' | 'failed';
  readonly paymentOrderId: string;
  readonly pspReference: string;
  readonly amountMinor: string;
  readonly currency: string;
  readonly at: string;
}

/** Refund rows: the PSP refunded a charge Keel holds as charged (`status_mismatch`). */
const REFUND_SHARE = 0.01;
/** The file's differences from the truth; a missing row is `missing_at_psp` to reconciliation. */
const FILE_FAULT_KINDS: readonly SettlementFaultKind[] = [
  'missing_row',
  'amount_mismatch',
  'currency_mismatch',
  'duplicate_row',
  'fee_mismatch',
];
const LINES_PER_WRITE = 2_000;

function trueRows(day: DayOptions): Generator<SettlementRow> {
  return syntheticSettlementRows({
    psp: day.psp,
    date: day.date,
    count: day.rows,
    seed: day.seed,
    feeBasisPoints: day.feeBasisPoints,
    refundShare: REFUND_SHARE,
  });
}

/** The rows the file reports: a missing row left out, a duplicate twice, the others changed. */
function* reportedRows(day: DayOptions): Generator<SettlementRow> {
  const faults: SettlementFault[] = FILE_FAULT_KINDS.map((kind, index) => ({
    id: `bench_${kind}`,
    createdAtMs: 0,
    psp: day.psp,
    kind,
    share: day.faultShare,
    seed: day.seed + index + 1,
  }));
  for (const row of trueRows(day)) {
    const faulted = applyFaults(faults, row);
    for (let copy = 0; copy < faulted.copies; copy += 1) yield faulted.row;
  }
}

/** Keel's side: a success for each true charge, but a share Keel failed while the PSP charged (`missing_in_keel`). */
function* keelOutcomes(day: DayOptions): Generator<string> {
  const failedByKeel = new SeededRandom(day.seed).fork('failed_by_keel');
  for (const row of trueRows(day)) {
    if (row.kind !== 'charge') continue;
    const line: KeelOutcomeLine = {
      outcome: failedByKeel.fork(row.movementId).next() < day.faultShare ? 'failed' : 'succeeded',
      paymentOrderId: row.merchantReference,
      pspReference: row.pspReference,
      amountMinor: row.amountMinor.toString(),
      currency: row.currency,
      at: new Date(row.eventAtMs).toISOString(),
    };
    yield `${JSON.stringify(line)}\n`;
  }
}

/** Writes the lines a few thousand at a time, waiting while the stream is full; the bytes written. */
async function writeLines(lines: Iterable<string>, path: string): Promise<number> {
  const stream = createWriteStream(path);
  let chunk: string[] = [];
  const flush = async () => {
    if (!stream.write(chunk.join(''))) await once(stream, 'drain');
    chunk = [];
  };
  for (const line of lines) {
    chunk.push(line);
    if (chunk.length >= LINES_PER_WRITE) await flush();
  }
  await flush();
  stream.end();
  await once(stream, 'finish');
  return stream.bytesWritten;
}

async function main(): Promise<void> {
  const day = JSON.parse(process.argv[2] ?? '{}') as DayOptions;
  if (!isPspId(day.psp) || !Number.isSafeInteger(day.rows) || day.rows < 1)
    throw new Error('usage: settlement-day.process.ts \'{"psp","date","rows","seed","faultShare",…}\'');
  const { dialect, timeZone } = SETTLEMENT_PROFILES[day.psp];
  const lines = dialect.lines(reportedRows(day), {
    date: day.date,
    timeZone,
    createdAtMs: Date.parse(`${day.date}T00:00:00Z`) + 86_400_000,
    merchantId: 'merchant_bench',
  });
  const fileBytes = await writeLines(lines, day.filePath);
  await writeLines(keelOutcomes(day), day.keelPath);
  process.stdout.write(`${JSON.stringify({ fileBytes, contentType: dialect.contentType })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
