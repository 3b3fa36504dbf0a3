import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SettlementPsp } from '@keel/reconciliation-domain';
import type { CurrencyTotalsView, SettlementFile } from './settlement-file';

interface SettlementFileRow {
  id: string;
  psp: SettlementPsp;
  settlement_date: string;
  checksum: string;
  source: string;
  size_bytes: string;
  row_count: number;
  late_row_count: number;
  totals: Record<string, CurrencyTotalsView>;
  ingested_at: Date;
}

const COLUMNS = `id, psp, to_char(settlement_date, 'YYYY-MM-DD') AS settlement_date, checksum, source,
  size_bytes, row_count, late_row_count, totals, ingested_at`;

function fileOf(row: SettlementFileRow): SettlementFile {
  return {
    id: row.id,
    psp: row.psp,
    settlementDate: row.settlement_date,
    checksum: row.checksum,
    source: row.source,
    sizeBytes: Number(row.size_bytes),
    rowCount: row.row_count,
    lateRowCount: row.late_row_count,
    totals: row.totals,
    ingestedAt: row.ingested_at.toISOString(),
  };
}

/** settlement_files: one row per file ingested, unique by PSP, day and checksum. */
@Injectable()
export class SettlementFileRepository {
  /**
   * Stores the file unless the same PSP, day and checksum are there; undefined when they are. A
   * second ingestion of the same bytes at the same time waits here for the first to commit.
   */
  async insertIfNew(
    manager: EntityManager,
    file: Omit<SettlementFile, 'ingestedAt'>,
  ): Promise<SettlementFile | undefined> {
    const rows = (await manager.query(
      `INSERT INTO settlement_files
         (id, psp, settlement_date, checksum, source, size_bytes, row_count, late_row_count, totals)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT ON CONSTRAINT settlement_files_ingested_once DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        file.id,
        file.psp,
        file.settlementDate,
        file.checksum,
        file.source,
        file.sizeBytes,
        file.rowCount,
        file.lateRowCount,
        JSON.stringify(file.totals),
      ],
    )) as SettlementFileRow[];
    return rows[0] === undefined ? undefined : fileOf(rows[0]);
  }

  async findByChecksum(
    manager: EntityManager,
    psp: SettlementPsp,
    settlementDate: string,
    checksum: string,
  ): Promise<SettlementFile | undefined> {
    const rows = (await manager.query(
      `SELECT ${COLUMNS} FROM settlement_files WHERE psp = $1 AND settlement_date = $2 AND checksum = $3`,
      [psp, settlementDate, checksum],
    )) as SettlementFileRow[];
    return rows[0] === undefined ? undefined : fileOf(rows[0]);
  }
}
