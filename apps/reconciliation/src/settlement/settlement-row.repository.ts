import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { QueryRunner } from 'typeorm';
import type { SettlementFileReading, SettlementRow } from '@keel/reconciliation-domain';

const COPY_ROWS = `COPY settlement_rows
  (file_id, line, psp_reference, merchant_reference, kind, amount_minor, currency, fee_minor, event_at, late)
  FROM STDIN`;

const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

/** A value in COPY's text format: a backslash, tab or line break escaped (a reference may hold one). */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (character) => TEXT_ESCAPES[character] ?? '')
    : value;
}

function copyLineOf(fileId: string, row: SettlementRow): string {
  const fee = row.feeMinor === undefined ? '\\N' : row.feeMinor.toString();
  return `${fileId}\t${row.lineNumber}\t${copyText(row.pspReference)}\t${copyText(row.merchantReference)}\t${row.kind}\t${row.amountMinor}\t${row.currency}\t${fee}\t${row.eventAt}\t${row.late ? 't' : 'f'}\n`;
}

/** settlement_rows: a file's rows, written a chunk at a time by COPY. */
@Injectable()
export class SettlementRowRepository {
  /**
   * Stores `reading`'s rows on the runner's connection, in its transaction, taken from the parser
   * in its arrays (one `await` per array, not per row): `chunkRows` lines to a chunk,
   * each chunk one `COPY … FROM STDIN` (one statement per chunk: its time is the chunk's, not the
   * upload's, whatever statement_timeout), the next chunk read and parsed while the last is written.
   * Memory holds two chunks. An error of `reading` (a malformed line) is what this throws, once the
   * chunk being written has settled; the caller rolls back. Then ANALYZE, in the transaction: the
   * matcher's reads of the file plan on its real statistics, not on none.
   */
  async copy(
    runner: QueryRunner,
    fileId: string,
    reading: SettlementFileReading,
    chunkRows: number,
  ): Promise<void> {
    const client = (await runner.connect()) as PoolClient;
    let writing: Promise<void> = Promise.resolve();
    let chunk = '';
    let count = 0;
    try {
      for await (const rows of reading.chunks()) {
        for (const row of rows) {
          chunk += copyLineOf(fileId, row);
          count += 1;
          if (count === chunkRows) {
            await writing;
            writing = copyChunk(client, chunk);
            // Its failure is awaited above or below; meanwhile it is not an unhandled rejection.
            writing.catch(() => undefined);
            chunk = '';
            count = 0;
          }
        }
      }
      await writing;
      if (count > 0) await copyChunk(client, chunk);
    } catch (error) {
      await writing.catch(() => undefined);
      throw error;
    }
    await runner.query('ANALYZE settlement_rows');
  }
}

async function copyChunk(client: PoolClient, chunk: string): Promise<void> {
  await pipeline(Readable.from([chunk]), client.query(copyFrom(COPY_ROWS)));
}
