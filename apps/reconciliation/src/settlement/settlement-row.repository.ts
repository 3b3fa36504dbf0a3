import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SettlementRowBatch } from './settlement-row-batch';

/** settlement_rows: a file's rows, written a batch at a time. */
@Injectable()
export class SettlementRowRepository {
  /** One statement for the whole batch: nine arrays, unnested side by side. */
  async insertBatch(manager: EntityManager, fileId: string, batch: SettlementRowBatch): Promise<void> {
    await manager.query(
      `INSERT INTO settlement_rows
         (file_id, line, psp_reference, merchant_reference, kind, amount_minor, currency, fee_minor, event_at, late)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[],
                                $8::bigint[], $9::timestamptz[], $10::boolean[])`,
      [
        fileId,
        batch.lines,
        batch.pspReferences,
        batch.merchantReferences,
        batch.kinds,
        batch.amountsMinor,
        batch.currencies,
        batch.feesMinor,
        batch.eventsAt,
        batch.late,
      ],
    );
  }
}
