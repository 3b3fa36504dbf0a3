import { SettlementFileError } from './settlement-file.error';
import type { SettlementFileSummary } from './settlement-file-summary';
import type { SettlementFileReading } from './settlement-parser';
import type { SettlementRow } from './settlement-row';

/** Reads a whole (small, test) file: its rows and its summary. */
export async function readAll(
  reading: SettlementFileReading,
): Promise<{ rows: SettlementRow[]; summary: SettlementFileSummary }> {
  const rows: SettlementRow[] = [];
  for await (const row of reading) rows.push(row);
  return { rows, summary: reading.summary };
}

/** The error reading a file fails with (and fails the test if it does not). */
export async function failureOf(reading: SettlementFileReading): Promise<SettlementFileError> {
  try {
    await readAll(reading);
  } catch (error) {
    if (error instanceof SettlementFileError) return error;
    throw error;
  }
  throw new Error('the file was read without an error');
}

/** Text as a stream of byte chunks of `size`, cutting through lines and multi-byte characters. */
export async function* chunksOf(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}
