import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { decodePageCursor, InvalidPageCursorError, pageOf } from '@keel/contracts';
import {
  DiscrepancyAlreadyResolvedError,
  DiscrepancyNotFoundError,
  InvalidCursorError,
} from '../reconciliation.errors';
import type { Discrepancy, DiscrepancyFilter, DiscrepancyNote, DiscrepancyWithNotes } from './discrepancy';
import { DiscrepancyRepository, type DiscrepancyPosition, type RunDay } from './discrepancy.repository';
import { discrepancyReportLines } from './discrepancy-report';
import { ReconciliationEvents } from './reconciliation-events';

/** The list's page sizes and the report's read batch. */
export interface DiscrepanciesSettings {
  readonly pageSizeDefault: number;
  readonly pageSizeMax: number;
  readonly reportBatchRows: number;
}

export const DISCREPANCIES_SETTINGS = Symbol('keel.reconciliation.discrepancies-settings');

/** A list position: the discrepancy's day and id. */
const POSITION_PATTERN = /^(\d{4}-\d{2}-\d{2})\|([0-9a-f-]{36})$/;

function positionIn(cursor: string): DiscrepancyPosition {
  try {
    return decodePageCursor(cursor, (text) => {
      const [, date, id] = POSITION_PATTERN.exec(text) ?? [];
      return date === undefined || id === undefined || !isUUID(id) ? undefined : { date, id };
    });
  } catch (error) {
    if (error instanceof InvalidPageCursorError) throw new InvalidCursorError();
    throw error;
  }
}

export interface DiscrepancyPage {
  readonly data: readonly Discrepancy[];
  readonly nextCursor: string | null;
}

/** Discrepancies for operators: listed, read, resolved once and annotated (who, when, why). */
@Injectable()
export class Discrepancies {
  constructor(
    private readonly dataSource: DataSource,
    private readonly discrepancies: DiscrepancyRepository,
    private readonly events: ReconciliationEvents,
    @Inject(DISCREPANCIES_SETTINGS) private readonly settings: DiscrepanciesSettings,
  ) {}

  async list(query: DiscrepancyFilter & { limit?: number; cursor?: string }): Promise<DiscrepancyPage> {
    const limit = Math.min(query.limit ?? this.settings.pageSizeDefault, this.settings.pageSizeMax);
    const after = query.cursor === undefined ? null : positionIn(query.cursor);
    const rows = await this.discrepancies.list(this.dataSource.manager, query, after, limit + 1);
    const page = pageOf(rows, limit, (row) => `${row.date}|${row.id}`);
    return { data: page.items, nextCursor: page.nextCursor };
  }

  async find(id: string): Promise<DiscrepancyWithNotes> {
    const manager = this.dataSource.manager;
    const discrepancy = isUUID(id) ? await this.discrepancies.find(manager, id) : undefined;
    if (discrepancy === undefined) throw new DiscrepancyNotFoundError(id);
    return { ...discrepancy, notes: await this.discrepancies.notesOf(manager, id) };
  }

  /** An operator resolves an open discrepancy, saying why (announced); a resolved one is refused (409). */
  resolve(id: string, actor: string, note: string): Promise<Discrepancy> {
    return this.dataSource.transaction(async (manager) => {
      const current = isUUID(id) ? await this.discrepancies.find(manager, id, true) : undefined;
      if (current === undefined) throw new DiscrepancyNotFoundError(id);
      if (current.status === 'resolved') {
        throw new DiscrepancyAlreadyResolvedError(id, current.resolvedBy ?? '', current.resolvedAt ?? '');
      }
      const resolved = await this.discrepancies.resolveByOperator(manager, id, actor, note);
      if (resolved === undefined) throw new Error(`discrepancy ${id} was locked open and is not resolved`);
      await this.events.discrepanciesResolved(manager, [resolved]);
      return resolved;
    });
  }

  /** An operator's note on a discrepancy, open or resolved. */
  async annotate(id: string, actor: string, note: string): Promise<DiscrepancyNote> {
    const manager = this.dataSource.manager;
    const discrepancy = isUUID(id) ? await this.discrepancies.find(manager, id) : undefined;
    if (discrepancy === undefined) throw new DiscrepancyNotFoundError(id);
    return this.discrepancies.addNote(manager, {
      id: randomUUID(),
      discrepancyId: id,
      actor,
      note,
      createdAt: new Date().toISOString(),
    });
  }

  /** A completed run's report: its day's discrepancies as they stand now, as CSV lines. */
  report(run: RunDay): AsyncIterable<string> {
    return discrepancyReportLines(
      run.runId,
      this.discrepancies.ofDay(this.dataSource.manager, run.psp, run.date, this.settings.reportBatchRows),
    );
  }
}
