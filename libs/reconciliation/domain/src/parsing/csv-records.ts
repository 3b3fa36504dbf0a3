import { CsvError, parse } from 'csv-parse';
import { pipeline, Readable } from 'node:stream';
import { SettlementFileError, SettlementFileProblem } from '../settlement-file.error';
import type { SettlementSource } from '../settlement-parser';

/** One CSV record and the line it ends on. */
export interface CsvRecord {
  readonly lineNumber: number;
  readonly fields: readonly string[];
}

export interface CsvDialect {
  readonly delimiter: string;
  readonly maxRecordChars: number;
}

/**
 * The records of a CSV stream (csv-parse), fields as text, a chunk at a time: the records parsed
 * so far, one `await` per chunk rather than per record (a million rows' cost). A chunk is what
 * the parser holds, at most one source chunk's records. A record with another field count is
 * passed on for the dialect to judge; CSV that cannot be read at all becomes a
 * `SettlementFileError` naming its line.
 */
export async function* csvRecordChunks(
  source: SettlementSource,
  dialect: CsvDialect,
): AsyncGenerator<readonly CsvRecord[]> {
  const parser = parse({
    delimiter: dialect.delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    max_record_size: dialect.maxRecordChars,
  });
  // Errors of either side reach the loop below: pipeline destroys the parser with them.
  pipeline(Readable.from(source), parser, () => undefined);
  try {
    for (;;) {
      const chunk: CsvRecord[] = [];
      for (
        let parsed = parser.read() as Parsed | null;
        parsed !== null;
        parsed = parser.read() as Parsed | null
      ) {
        chunk.push({ lineNumber: parsed.info.lines, fields: parsed.record });
      }
      if (chunk.length > 0) yield chunk;
      else if (!(await moreToRead(parser))) return;
    }
  } catch (error) {
    if (error instanceof CsvError) throw settlementFileErrorOf(error);
    throw error;
  } finally {
    parser.destroy();
  }
}

interface Parsed {
  readonly info: { readonly lines: number };
  readonly record: string[];
}

/** Waits for `stream` to have more to read (true), to end (false) or to fail (its error). */
function moreToRead(stream: Readable): Promise<boolean> {
  if (stream.errored) return Promise.reject(stream.errored);
  if (stream.readableEnded) return Promise.resolve(false);
  return new Promise<boolean>((resolve, reject) => {
    const settle = (outcome: () => void): void => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('close', onClose);
      stream.off('error', onError);
      outcome();
    };
    const onReadable = (): void => settle(() => resolve(true));
    const onEnd = (): void => settle(() => resolve(false));
    // pipeline destroys the parser with the error of either side; a close without one and
    // without an end would be a file cut short, never a file read.
    const onClose = (): void =>
      settle(() =>
        stream.readableEnded
          ? resolve(false)
          : reject(stream.errored ?? new Error('the CSV stream closed before its end')),
      );
    const onError = (error: Error): void => settle(() => reject(error));
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('close', onClose);
    stream.on('error', onError);
  });
}

function settlementFileErrorOf(error: CsvError): SettlementFileError {
  const lineNumber = Number(error.lines ?? 0);
  const problem =
    error.code === 'CSV_MAX_RECORD_SIZE'
      ? SettlementFileProblem.LineTooLong
      : SettlementFileProblem.MalformedCsv;
  return new SettlementFileError(problem, lineNumber, error.message);
}
