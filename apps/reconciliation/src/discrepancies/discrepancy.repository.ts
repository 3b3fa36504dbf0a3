import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SettlementPsp } from '@keel/reconciliation-domain';
import {
  RECONCILIATION_ACTOR,
  WALLET_LEDGER_MISMATCH,
  type Discrepancy,
  type DiscrepancyClass,
  type DiscrepancyDraft,
  type DiscrepancyFilter,
  type DiscrepancyFix,
  type DiscrepancyNote,
  type DiscrepancyStatus,
} from './discrepancy';
import { newestFirstPageSql } from '../newest-first-page';

export interface DiscrepancyRow {
  id: string;
  psp: SettlementPsp;
  settlement_date: string;
  class: DiscrepancyClass;
  match_key: string;
  merchant_reference: string | null;
  psp_reference: string | null;
  keel_data: Record<string, unknown> | null;
  psp_data: Record<string, unknown>;
  reason: string;
  money_at_risk_minor: string;
  currency: string;
  status: DiscrepancyStatus;
  first_run_id: string;
  last_run_id: string;
  opened_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution_note: string | null;
  fix: DiscrepancyFix | null;
}

interface NoteRow {
  id: string;
  discrepancy_id: string;
  actor: string;
  note: string;
  created_at: Date;
}

/** Where a page of the list (newest day first, then id) ended. */
export interface DiscrepancyPosition {
  readonly date: string;
  readonly id: string;
}

export const COLUMNS = `id, psp, to_char(settlement_date, 'YYYY-MM-DD') AS settlement_date, class, match_key,
  merchant_reference, psp_reference, keel_data, psp_data, reason, money_at_risk_minor, currency, status,
  first_run_id, last_run_id, opened_at, resolved_at, resolved_by, resolution_note, fix`;

export function discrepancyOf(row: DiscrepancyRow): Discrepancy {
  return {
    id: row.id,
    psp: row.psp,
    date: row.settlement_date,
    class: row.class,
    matchKey: row.match_key,
    merchantReference: row.merchant_reference,
    pspReference: row.psp_reference,
    keel: row.keel_data,
    pspSide: row.psp_data,
    reason: row.reason,
    moneyAtRisk: { amountMinor: row.money_at_risk_minor, currency: row.currency.trim() },
    status: row.status,
    firstRunId: row.first_run_id,
    lastRunId: row.last_run_id,
    openedAt: row.opened_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolvedBy: row.resolved_by,
    resolutionNote: row.resolution_note,
    fix: row.fix,
  };
}

function noteOf(row: NoteRow): DiscrepancyNote {
  return {
    id: row.id,
    discrepancyId: row.discrepancy_id,
    actor: row.actor,
    note: row.note,
    createdAt: row.created_at.toISOString(),
  };
}

/** A run's day: the discrepancies it writes and supersedes are those of its PSP and day. */
export interface RunDay {
  readonly runId: string;
  readonly psp: SettlementPsp;
  readonly date: string;
}

/**
 * A re-run reopens what reconciliation resolved because a run no longer found it — not what its
 * automatic fix settled (the refund or the fee adjustment stands whatever the day's file still shows).
 */
const REOPENS = `d.resolved_by = '${RECONCILIATION_ACTOR}' AND d.fix IS NULL`;

/** discrepancies and discrepancy_notes. */
@Injectable()
export class DiscrepancyRepository {
  /**
   * Stores a run's drafts, one multi-row upsert: a key new to its PSP, day and class is inserted
   * (`open`, first and last seen by the run); a known one takes the run's data and becomes last
   * seen by it, keeping its status — unless reconciliation itself had resolved it (a later run no
   * longer found it), which opens it again. Answers those it opened (inserted or reopened).
   */
  async upsert(
    manager: EntityManager,
    day: RunDay,
    drafts: readonly DiscrepancyDraft[],
  ): Promise<Discrepancy[]> {
    if (drafts.length === 0) return [];
    // opened_at = now() (the transaction's start) marks exactly the rows this transaction opened.
    const rows = (await manager.query(
      `INSERT INTO discrepancies AS d
         (id, psp, settlement_date, class, match_key, merchant_reference, psp_reference, keel_data, psp_data,
          reason, money_at_risk_minor, currency, status, first_run_id, last_run_id, opened_at)
       SELECT gen_random_uuid(), $1, $2::date, u.class, u.match_key, u.merchant_reference, u.psp_reference,
              u.keel_data, u.psp_data, u.reason, u.money_at_risk_minor, u.currency, 'open', $3, $3, now()
       FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::jsonb[], $10::text[],
                   $11::bigint[], $12::text[])
         AS u(class, match_key, merchant_reference, psp_reference, keel_data, psp_data, reason,
              money_at_risk_minor, currency)
       ON CONFLICT (psp, settlement_date, class, match_key) DO UPDATE SET
         merchant_reference = EXCLUDED.merchant_reference,
         psp_reference = EXCLUDED.psp_reference,
         keel_data = EXCLUDED.keel_data,
         psp_data = EXCLUDED.psp_data,
         reason = EXCLUDED.reason,
         money_at_risk_minor = EXCLUDED.money_at_risk_minor,
         currency = EXCLUDED.currency,
         last_run_id = EXCLUDED.last_run_id,
         status = CASE WHEN ${REOPENS} THEN 'open' ELSE d.status END,
         opened_at = CASE WHEN ${REOPENS} THEN now() ELSE d.opened_at END,
         resolved_at = CASE WHEN ${REOPENS} THEN NULL ELSE d.resolved_at END,
         resolution_note = CASE WHEN ${REOPENS} THEN NULL ELSE d.resolution_note END,
         resolved_by = CASE WHEN ${REOPENS} THEN NULL ELSE d.resolved_by END
       RETURNING ${COLUMNS}, opened_at = now() AS opened_now`,
      [
        day.psp,
        day.date,
        day.runId,
        drafts.map((draft) => draft.class),
        drafts.map((draft) => draft.matchKey),
        drafts.map((draft) => draft.merchantReference),
        drafts.map((draft) => draft.pspReference),
        drafts.map((draft) => (draft.keel === null ? null : JSON.stringify(draft.keel))),
        drafts.map((draft) => JSON.stringify(draft.pspSide)),
        drafts.map((draft) => draft.reason),
        drafts.map((draft) => draft.moneyAtRiskMinor.toString()),
        drafts.map((draft) => draft.currency),
      ],
    )) as (DiscrepancyRow & { opened_now: boolean })[];
    return rows.filter((row) => row.opened_now).map(discrepancyOf);
  }

  /**
   * Resolves, as reconciliation, the open discrepancies of the run's day that the run did not find
   * again: the key now matches (e.g. the orphan charge was refunded) or is another class. Not the
   * wallet leg's, which are Keel's as a whole and resolved by that leg.
   */
  async resolveUnseen(manager: EntityManager, day: RunDay): Promise<Discrepancy[]> {
    return this.#resolve(
      manager,
      `psp = $1 AND settlement_date = $2::date AND status = 'open' AND last_run_id <> $3
       AND class <> '${WALLET_LEDGER_MISMATCH}'`,
      [day.psp, day.date, day.runId],
      `run ${day.runId} of the day no longer finds it`,
    );
  }

  /**
   * Resolves, as reconciliation, the previous day's open `missing_at_psp` discrepancies whose rows
   * the run's file reports late (`timing`): the PSP did settle them, a day late.
   */
  resolveReportedLate(
    manager: EntityManager,
    day: RunDay,
    previousDate: string,
    matchKeys: readonly string[],
  ): Promise<Discrepancy[]> {
    return this.#resolveKeys(
      manager,
      `settlement_date = $2::date AND class = 'missing_at_psp'`,
      [day.psp, previousDate, matchKeys],
      `the file of ${day.date} reports it a day late (run ${day.runId})`,
    );
  }

  /**
   * Resolves, as reconciliation, earlier days' open `missing_in_keel` discrepancies of charges the
   * run's day shows refunded on both sides (Keel's orphan refund, and the PSP's refund row).
   */
  resolveRefundedLater(
    manager: EntityManager,
    day: RunDay,
    matchKeys: readonly string[],
  ): Promise<Discrepancy[]> {
    return this.#resolveKeys(
      manager,
      `settlement_date < $2::date AND class = 'missing_in_keel'`,
      [day.psp, day.date, matchKeys],
      `refunded on ${day.date}, as Keel and the PSP's file both show (run ${day.runId})`,
    );
  }

  /** Open discrepancies of the PSP (`$1`) matching `condition` whose key is one of `$3`. */
  async #resolveKeys(
    manager: EntityManager,
    condition: string,
    parameters: [string, string, readonly string[]],
    note: string,
  ): Promise<Discrepancy[]> {
    if (parameters[2].length === 0) return [];
    return this.#resolve(
      manager,
      `psp = $1 AND ${condition} AND status = 'open' AND match_key = ANY($3::text[])`,
      [...parameters],
      note,
    );
  }

  async #resolve(
    manager: EntityManager,
    condition: string,
    parameters: unknown[],
    note: string,
  ): Promise<Discrepancy[]> {
    const [rows] = (await manager.query(
      `UPDATE discrepancies SET status = 'resolved', resolved_at = now(),
         resolved_by = '${RECONCILIATION_ACTOR}', resolution_note = $${parameters.length + 1}
       WHERE ${condition} RETURNING ${COLUMNS}`,
      [...parameters, note],
    )) as [DiscrepancyRow[], number];
    return rows.map(discrepancyOf);
  }

  /** A person resolves an open discrepancy; undefined when it is unknown or no longer open. */
  async resolveByOperator(
    manager: EntityManager,
    id: string,
    actor: string,
    note: string,
  ): Promise<Discrepancy | undefined> {
    const [rows] = (await manager.query(
      `UPDATE discrepancies SET status = 'resolved', resolved_at = now(), resolved_by = $2, resolution_note = $3
       WHERE id = $1 AND status = 'open' RETURNING ${COLUMNS}`,
      [id, actor, note],
    )) as [DiscrepancyRow[], number];
    return rows[0] === undefined ? undefined : discrepancyOf(rows[0]);
  }

  async addNote(manager: EntityManager, note: DiscrepancyNote): Promise<DiscrepancyNote> {
    const rows = (await manager.query(
      `INSERT INTO discrepancy_notes (id, discrepancy_id, actor, note, created_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING id, discrepancy_id, actor, note, created_at`,
      [note.id, note.discrepancyId, note.actor, note.note, note.createdAt],
    )) as NoteRow[];
    return noteOf(rows[0] as NoteRow);
  }

  async find(manager: EntityManager, id: string, lock = false): Promise<Discrepancy | undefined> {
    const rows = (await manager.query(
      `SELECT ${COLUMNS} FROM discrepancies WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    )) as DiscrepancyRow[];
    return rows[0] === undefined ? undefined : discrepancyOf(rows[0]);
  }

  async notesOf(manager: EntityManager, id: string): Promise<DiscrepancyNote[]> {
    const rows = (await manager.query(
      `SELECT id, discrepancy_id, actor, note, created_at FROM discrepancy_notes
       WHERE discrepancy_id = $1 ORDER BY created_at, id`,
      [id],
    )) as NoteRow[];
    return rows.map(noteOf);
  }

  /** Newest day first, then id (descending), after `after`, at most `limit` rows. */
  async list(
    manager: EntityManager,
    filter: DiscrepancyFilter,
    after: DiscrepancyPosition | null,
    limit: number,
  ): Promise<Discrepancy[]> {
    const { text, parameters } = newestFirstPageSql({
      table: 'discrepancies',
      columns: COLUMNS,
      filters: [
        ['psp', filter.psp],
        ['settlement_date', filter.date, 'date'],
        ['class', filter.class],
        ['status', filter.status],
      ],
      orderBy: { column: 'settlement_date', cast: 'date' },
      after: after === null ? null : { value: after.date, id: after.id },
      limit,
    });
    const rows = (await manager.query(text, parameters)) as DiscrepancyRow[];
    return rows.map(discrepancyOf);
  }

  /**
   * A PSP day's discrepancies in key order (class, then match key: the unique index's), read
   * `batchRows` at a time, so a day of any size streams (a run's report).
   */
  async *ofDay(
    manager: EntityManager,
    psp: string,
    date: string,
    batchRows: number,
  ): AsyncGenerator<Discrepancy> {
    let after: [string, string] = ['', ''];
    for (;;) {
      const rows = (await manager.query(
        `SELECT ${COLUMNS} FROM discrepancies
         WHERE psp = $1 AND settlement_date = $2::date AND (class, match_key) > ($3, $4 COLLATE "C")
         ORDER BY class, match_key LIMIT $5`,
        [psp, date, ...after, batchRows],
      )) as DiscrepancyRow[];
      for (const row of rows) yield discrepancyOf(row);
      const last = rows.at(-1);
      if (last === undefined || rows.length < batchRows) return;
      after = [last.class, last.match_key];
    }
  }

  /** Open discrepancies per class, and their money at risk per currency: what the gauges show. */
  async openTotals(
    manager: EntityManager,
  ): Promise<{ byClass: Map<string, number>; atRisk: Map<string, bigint> }> {
    const rows = (await manager.query(
      `SELECT class, currency, count(*)::int AS count, sum(money_at_risk_minor)::text AS at_risk
       FROM discrepancies WHERE status = 'open' GROUP BY class, currency`,
    )) as { class: string; currency: string; count: number; at_risk: string }[];
    const byClass = new Map<string, number>();
    const atRisk = new Map<string, bigint>();
    for (const row of rows) {
      byClass.set(row.class, (byClass.get(row.class) ?? 0) + row.count);
      const currency = row.currency.trim();
      atRisk.set(currency, (atRisk.get(currency) ?? 0n) + BigInt(row.at_risk));
    }
    return { byClass, atRisk };
  }
}
