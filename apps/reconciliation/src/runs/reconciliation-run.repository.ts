import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SettlementPsp } from '@keel/reconciliation-domain';
import { newestFirstPageSql } from '../newest-first-page';
import type { ReconciliationRun, RunError, RunStatus, RunSummary, RunTrigger } from './reconciliation-run';

interface RunRow {
  id: string;
  psp: SettlementPsp;
  settlement_date: string;
  trigger: RunTrigger;
  status: RunStatus;
  started_at: Date;
  finished_at: Date | null;
  file_id: string | null;
  error: RunError | null;
  summary: RunSummary | null;
}

/** Where a page of the newest-first list ended. */
export interface RunPosition {
  readonly startedAt: string;
  readonly id: string;
}

export interface RunFilter {
  readonly psp?: string;
  readonly date?: string;
  readonly status?: RunStatus;
}

const COLUMNS = `id, psp, to_char(settlement_date, 'YYYY-MM-DD') AS settlement_date, trigger, status,
  started_at, finished_at, file_id, error, summary`;

function runOf(row: RunRow): ReconciliationRun {
  return {
    id: row.id,
    psp: row.psp,
    date: row.settlement_date,
    trigger: row.trigger,
    status: row.status,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    fileId: row.file_id,
    error: row.error,
    summary: row.summary,
  };
}

/** reconciliation_runs. */
@Injectable()
export class ReconciliationRunRepository {
  /**
   * A new run, `running`. A scheduled run for a PSP and day that another instance already holds
   * (running or done) is not made: undefined.
   */
  async start(
    manager: EntityManager,
    run: { id: string; psp: SettlementPsp; date: string; trigger: RunTrigger },
  ): Promise<ReconciliationRun | undefined> {
    const rows = (await manager.query(
      `INSERT INTO reconciliation_runs (id, psp, settlement_date, trigger, status, started_at)
       VALUES ($1, $2, $3, $4, 'running', now())
       ON CONFLICT (psp, settlement_date) WHERE trigger = 'schedule' AND status <> 'failed' DO NOTHING
       RETURNING ${COLUMNS}`,
      [run.id, run.psp, run.date, run.trigger],
    )) as RunRow[];
    return rows[0] === undefined ? undefined : runOf(rows[0]);
  }

  async finish(
    manager: EntityManager,
    runId: string,
    outcome: { status: RunStatus; fileId: string; summary: RunSummary },
  ): Promise<ReconciliationRun> {
    const rows = (await manager.query(
      `UPDATE reconciliation_runs SET status = $2, file_id = $3, summary = $4, finished_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [runId, outcome.status, outcome.fileId, JSON.stringify(outcome.summary)],
    )) as [RunRow[], number];
    return runOf(firstOf(rows[0], runId));
  }

  async fail(manager: EntityManager, runId: string, error: RunError): Promise<void> {
    await manager.query(
      `UPDATE reconciliation_runs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`,
      [runId, JSON.stringify(error)],
    );
  }

  /** Fails every run still `running` that started more than `olderThanMs` ago; their ids. */
  async failAbandoned(manager: EntityManager, olderThanMs: number, error: RunError): Promise<string[]> {
    const rows = (await manager.query(
      `UPDATE reconciliation_runs SET status = 'failed', error = $2, finished_at = now()
       WHERE status = 'running' AND started_at < now() - make_interval(secs => $1::double precision / 1000)
       RETURNING id`,
      [olderThanMs, JSON.stringify(error)],
    )) as [{ id: string }[], number];
    return rows[0].map((row) => row.id);
  }

  async find(manager: EntityManager, runId: string): Promise<ReconciliationRun | undefined> {
    const rows = (await manager.query(`SELECT ${COLUMNS} FROM reconciliation_runs WHERE id = $1`, [
      runId,
    ])) as RunRow[];
    return rows[0] === undefined ? undefined : runOf(rows[0]);
  }

  /** Newest first (started, then id), after `after`, at most `limit` rows. */
  async list(
    manager: EntityManager,
    filter: RunFilter,
    after: RunPosition | null,
    limit: number,
  ): Promise<ReconciliationRun[]> {
    const { text, parameters } = newestFirstPageSql({
      table: 'reconciliation_runs',
      columns: COLUMNS,
      filters: [
        ['psp', filter.psp],
        ['settlement_date', filter.date, 'date'],
        ['status', filter.status],
      ],
      orderBy: { column: 'started_at', cast: 'timestamptz' },
      after: after === null ? null : { value: after.startedAt, id: after.id },
      limit,
    });
    const rows = (await manager.query(text, parameters)) as RunRow[];
    return rows.map(runOf);
  }
}

function firstOf(rows: RunRow[], runId: string): RunRow {
  const [row] = rows;
  if (row === undefined) throw new Error(`reconciliation run ${runId} is not stored`);
  return row;
}
