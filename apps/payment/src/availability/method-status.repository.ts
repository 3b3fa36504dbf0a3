import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MethodStatus } from '@keel/payment-domain';

/** A change as stored: the status and who made it. */
export interface MethodStatusChange extends MethodStatus {
  readonly changedBy: string;
}

interface StatusRow {
  method_type: string;
  provider: string;
  enabled: boolean;
  admitted_percent: number | null;
  notice: string | null;
  changed_at: Date;
}

function statusOf(row: StatusRow): MethodStatus {
  return {
    methodType: row.method_type,
    provider: row.provider,
    enabled: row.enabled,
    ...(row.admitted_percent === null ? {} : { admittedPercent: row.admitted_percent }),
    notice: row.notice ?? undefined,
    changedAtMs: row.changed_at.getTime(),
  };
}

/** The SQL of table method_status: a row per method or provider ops ever switched. */
@Injectable()
export class MethodStatusRepository {
  /**
   * Upserts one change per method and provider (see newestPerProvider) in one statement, keeping
   * the newest: an older change delivered late changes nothing. Returns the rows it wrote.
   */
  async recordNewest(
    manager: EntityManager,
    changes: readonly MethodStatusChange[],
  ): Promise<MethodStatus[]> {
    if (changes.length === 0) return [];
    const rows = (await manager.query(
      `INSERT INTO method_status (method_type, provider, enabled, admitted_percent, notice, changed_by, changed_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[], $4::smallint[], $5::text[], $6::text[],
                            $7::timestamptz[])
       ON CONFLICT (method_type, provider) DO UPDATE
         SET enabled = EXCLUDED.enabled,
             admitted_percent = EXCLUDED.admitted_percent,
             notice = EXCLUDED.notice,
             changed_by = EXCLUDED.changed_by,
             changed_at = EXCLUDED.changed_at,
             updated_at = now()
         WHERE method_status.changed_at <= EXCLUDED.changed_at
       RETURNING method_type, provider, enabled, admitted_percent, notice, changed_at`,
      [
        changes.map((change) => change.methodType),
        changes.map((change) => change.provider),
        changes.map((change) => change.enabled),
        changes.map((change) => change.admittedPercent ?? null),
        changes.map((change) => change.notice ?? null),
        changes.map((change) => change.changedBy),
        changes.map((change) => new Date(change.changedAtMs)),
      ],
    )) as StatusRow[];
    return rows.map(statusOf);
  }

  async findAll(manager: EntityManager): Promise<MethodStatus[]> {
    const rows = (await manager.query(
      'SELECT method_type, provider, enabled, admitted_percent, notice, changed_at FROM method_status',
    )) as StatusRow[];
    return rows.map(statusOf);
  }
}
