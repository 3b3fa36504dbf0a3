import { createHash, randomUUID, type Hash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { settlementParsers, type SettlementParser, type SettlementPsp } from '@keel/reconciliation-domain';
import { totalsViewOf, type IngestionResult } from './settlement-file';
import { SettlementFileRepository } from './settlement-file.repository';
import { SettlementRowRepository } from './settlement-row.repository';
import { SettlementFileTooLarge } from './settlement-source.error';

/** RECON_FILE_BYTES_MAX, RECON_LINE_CHARS_MAX and RECON_INSERT_BATCH_ROWS. */
export interface SettlementIngestionSettings {
  readonly fileBytesMax: number;
  readonly lineCharsMax: number;
  readonly insertBatchRows: number;
}

export const SETTLEMENT_INGESTION_SETTINGS = Symbol('keel.reconciliation.settlement-ingestion-settings');

/** The bytes of a file as they pass: their SHA-256 and count, the count held to a maximum. */
class FileBytes {
  readonly #hash: Hash = createHash('sha256');
  #size = 0;

  constructor(private readonly bytesMax: number) {}

  get size(): number {
    return this.#size;
  }

  async *pass(source: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
      this.#size += bytes.byteLength;
      if (this.#size > this.bytesMax) throw new SettlementFileTooLarge(this.bytesMax);
      this.#hash.update(bytes);
      yield bytes;
    }
  }

  checksum(): string {
    return this.#hash.digest('hex');
  }
}

/**
 * Ingests a settlement file once: its bytes are hashed (SHA-256) and parsed as they stream, its rows
 * written by one COPY as they are parsed, and its settlement_files row added last, all in ONE transaction. A
 * malformed file (SettlementFileError), a file too large or a source cut off rolls everything back.
 * The same PSP, day and checksum again rolls back its rows and answers the file already stored.
 * Memory holds one line and two chunks of rows, whatever the file's size.
 */
@Injectable()
export class SettlementIngestion {
  private readonly parsers: Readonly<Record<SettlementPsp, SettlementParser>>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly files: SettlementFileRepository,
    private readonly rows: SettlementRowRepository,
    @Inject(SETTLEMENT_INGESTION_SETTINGS) private readonly settings: SettlementIngestionSettings,
  ) {
    this.parsers = settlementParsers({ maxLineChars: settings.lineCharsMax });
  }

  async ingest(
    psp: SettlementPsp,
    settlementDate: string,
    source: string,
    body: AsyncIterable<Buffer | Uint8Array | string>,
  ): Promise<IngestionResult> {
    const bytes = new FileBytes(this.settings.fileBytesMax);
    const reading = this.parsers[psp].parse(bytes.pass(body), settlementDate);
    const fileId = randomUUID();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await this.rows.copy(runner, fileId, reading, this.settings.insertBatchRows);
      // Every dialect reads to the end of its source (nothing may follow a trailer), so the
      // checksum covers the whole file.
      const summary = reading.summary;
      const checksum = bytes.checksum();
      const stored = await this.files.insertIfNew(runner.manager, {
        id: fileId,
        psp,
        settlementDate,
        checksum,
        source,
        sizeBytes: bytes.size,
        rowCount: summary.rowCount,
        lateRowCount: summary.lateRowCount,
        totals: totalsViewOf(summary),
      });
      if (stored !== undefined) {
        await runner.commitTransaction();
        return { file: stored, alreadyIngested: false };
      }
      await runner.rollbackTransaction();
      const existing = await this.files.findByChecksum(runner.manager, psp, settlementDate, checksum);
      if (existing === undefined) throw new Error(`settlement file ${checksum} vanished after a conflict`);
      return { file: existing, alreadyIngested: true };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }
}
