import { Inject, Injectable } from '@nestjs/common';
import { currencyOf } from '@keel/money';
import type { SettlementPsp, SettlementRow } from '@keel/reconciliation-domain';
import { keelSideSql } from '../keel-view/keel-view.reader';
import { KEEL_VIEW_SETTINGS, type KeelViewSettings } from '../keel-view/keel-view.settings';
import type { ReadSnapshot } from '../keel-view/read-snapshot';

interface StoredRow {
  line: number;
  psp_reference: string;
  merchant_reference: string;
  kind: 'charge' | 'refund';
  amount_minor: string;
  currency: string;
  fee_minor: string | null;
  event_at: string;
  late: boolean;
}

// event_at as the ISO 8601 text a row carries (toISOString's form), made by PostgreSQL: a Date
// parsed and formatted again for each of a million rows costs the matcher about a second.
const COLUMNS = `line, psp_reference, merchant_reference, kind, amount_minor, currency, fee_minor,
  to_char(event_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS event_at, late`;

/** Pass 1: every row of the file (`$1`), by PSP reference in byte order, then line. */
const ROWS_BY_PSP_REFERENCE = `SELECT ${COLUMNS} FROM settlement_rows WHERE file_id = $1
  ORDER BY psp_reference COLLATE "C", line`;

/**
 * Pass 2: the rows pass 1 left unpaired — whose PSP reference no order of Keel's side holds — by
 * merchant reference in byte order, then line. `$1`…`$4` as `keelSideSql` takes them.
 */
const UNPAIRED_ROWS_BY_MERCHANT_REFERENCE = `WITH ${keelSideSql(true)}
  SELECT ${COLUMNS} FROM settlement_rows r
  WHERE r.file_id = $4
    AND NOT EXISTS (SELECT 1 FROM keel_side k WHERE k.psp_reference = r.psp_reference)
  ORDER BY r.merchant_reference COLLATE "C", r.line`;

/** A stored file's rows, read back sorted for the matcher's two passes. */
@Injectable()
export class SettlementRowsReader {
  constructor(@Inject(KEEL_VIEW_SETTINGS) private readonly settings: KeelViewSettings) {}

  async *rowsOfFile(
    snapshot: ReadSnapshot,
    file: { psp: SettlementPsp; date: string; zone: string; fileId: string },
    key: 'pspReference' | 'merchantReference',
  ): AsyncGenerator<readonly SettlementRow[]> {
    const [sql, parameters] =
      key === 'pspReference'
        ? [ROWS_BY_PSP_REFERENCE, [file.fileId]]
        : [UNPAIRED_ROWS_BY_MERCHANT_REFERENCE, [file.psp, file.date, file.zone, file.fileId]];
    for await (const fetched of snapshot.fetches<StoredRow>(sql, parameters, this.settings.fetchRows)) {
      yield fetched.map((row) => ({
        psp: file.psp,
        settlementDate: file.date,
        pspReference: row.psp_reference,
        merchantReference: row.merchant_reference,
        kind: row.kind,
        amountMinor: BigInt(row.amount_minor),
        currency: currencyOf(row.currency).code,
        feeMinor: row.fee_minor === null ? undefined : BigInt(row.fee_minor),
        eventAt: row.event_at,
        late: row.late,
        lineNumber: row.line,
      }));
    }
  }
}
