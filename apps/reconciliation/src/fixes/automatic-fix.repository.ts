import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { FixableDiscrepancy, SettlementPsp } from '@keel/reconciliation-domain';
import { RECONCILIATION_ACTOR, type Discrepancy, type DiscrepancyFix } from '../discrepancies/discrepancy';
import type { RunDay } from '../discrepancies/discrepancy.repository';

/** What a resolution announces of a discrepancy (discrepancy_resolved). */
export type ResolvedDiscrepancy = Pick<
  Discrepancy,
  'id' | 'psp' | 'date' | 'class' | 'resolvedBy' | 'resolutionNote' | 'resolvedAt'
>;

interface FixableRow {
  id: string;
  class: string;
  merchant_reference: string | null;
  psp_reference: string | null;
  keel_data: Record<string, unknown> | null;
  psp_data: Record<string, unknown>;
  currency: string;
  reason: string;
}

interface ResolvedRow {
  id: string;
  psp: SettlementPsp;
  settlement_date: string;
  class: Discrepancy['class'];
  resolved_by: string;
  resolution_note: string;
  resolved_at: Date;
}

/** The automatic fixes' reads and writes of `discrepancies`, each one statement, in the caller's transaction. */
@Injectable()
export class AutomaticFixRepository {
  /**
   * The run's day's open discrepancies of the classes fixed automatically for which no fix was
   * asked yet, at most `limit`, locked (in id order) so two runs of the day never ask twice.
   */
  async unfixedOfDay(manager: EntityManager, day: RunDay, limit: number): Promise<FixableDiscrepancy[]> {
    const rows = (await manager.query(
      `SELECT id, class, merchant_reference, psp_reference, keel_data, psp_data, currency, reason
       FROM discrepancies
       WHERE psp = $1 AND settlement_date = $2::date AND status = 'open' AND fix IS NULL
         AND class IN ('missing_in_keel', 'fee_mismatch')
       ORDER BY id LIMIT $3 FOR UPDATE`,
      [day.psp, day.date, limit],
    )) as FixableRow[];
    return rows.map((row) => ({
      id: row.id,
      class: row.class,
      merchantReference: row.merchant_reference,
      pspReference: row.psp_reference,
      keel: row.keel_data,
      pspSide: row.psp_data,
      currency: row.currency.trim(),
      reason: row.reason,
    }));
  }

  async markFixes(manager: EntityManager, ids: readonly string[], fix: DiscrepancyFix): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(`UPDATE discrepancies SET fix = $2 WHERE id = ANY($1::uuid[])`, [ids, fix]);
  }

  /**
   * Resolves, as reconciliation, the open fee discrepancies whose adjustment the ledger recorded:
   * "fee adjusted in ledger: <transaction id>". A discrepancy already resolved is left as it is.
   */
  async resolveFeeAdjusted(
    manager: EntityManager,
    adjustments: readonly { readonly discrepancyId: string; readonly transactionId: string }[],
  ): Promise<ResolvedDiscrepancy[]> {
    if (adjustments.length === 0) return [];
    const [rows] = (await manager.query(
      `UPDATE discrepancies AS d SET status = 'resolved', resolved_at = now(), resolved_by = '${RECONCILIATION_ACTOR}',
         resolution_note = 'fee adjusted in ledger: ' || a.transaction_id
       FROM unnest($1::uuid[], $2::text[]) AS a(discrepancy_id, transaction_id)
       WHERE d.id = a.discrepancy_id AND d.status = 'open' AND d.class = 'fee_mismatch'
       RETURNING d.id, d.psp, to_char(d.settlement_date, 'YYYY-MM-DD') AS settlement_date, d.class,
                 d.resolved_by, d.resolution_note, d.resolved_at`,
      [adjustments.map((each) => each.discrepancyId), adjustments.map((each) => each.transactionId)],
    )) as [ResolvedRow[], number];
    return rows.map((row) => ({
      id: row.id,
      psp: row.psp,
      date: row.settlement_date,
      class: row.class,
      resolvedBy: row.resolved_by,
      resolutionNote: row.resolution_note,
      resolvedAt: row.resolved_at.toISOString(),
    }));
  }
}
