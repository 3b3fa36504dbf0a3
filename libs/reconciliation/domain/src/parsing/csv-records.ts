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
 * The records of a CSV stream one at a time (csv-parse), fields as text. A record with another
 * field count is passed on for the dialect to judge; CSV that cannot be read at all becomes a
 * `SettlementFileError` naming its line.
 */
export async function* csvRecords(source: SettlementSource, dialect: CsvDialect): AsyncGenerator<CsvRecord> {
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
    for await (const { info, record } of parser as AsyncIterable<{
      info: { lines: number };
      record: string[];
    }>) {
      yield { lineNumber: info.lines, fields: record };
    }
  } catch (error) {
    if (error instanceof CsvError) throw settlementFileErrorOf(error);
    throw error;
  } finally {
    parser.destroy();
  }
}

function settlementFileErrorOf(error: CsvError): SettlementFileError {
  const lineNumber = Number(error.lines ?? 0);
  const problem =
    error.code === 'CSV_MAX_RECORD_SIZE'
      ? SettlementFileProblem.LineTooLong
      : SettlementFileProblem.MalformedCsv;
  return new SettlementFileError(problem, lineNumber, error.message);
}
