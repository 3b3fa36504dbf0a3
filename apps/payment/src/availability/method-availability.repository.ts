import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MethodReport } from '@keel/payment-domain';

interface AvailabilityRow {
  method_type: string;
  available: boolean;
  retry_after_seconds: number | null;
  changed_at: Date;
}

function reportOf(row: AvailabilityRow): MethodReport {
  return {
    methodType: row.method_type,
    available: row.available,
    retryAfterSeconds: row.retry_after_seconds ?? undefined,
    changedAtMs: row.changed_at.getTime(),
  };
}

/** The SQL of table method_availability: a handful of rows, one per method ever reported. */
@Injectable()
export class MethodAvailabilityRepository {
  /**
   * Upserts one report per method (see newestPerMethod) in one statement, keeping the newest per
   * method: an older report delivered late changes nothing. Returns the rows it wrote.
   */
  async recordNewest(manager: EntityManager, reports: readonly MethodReport[]): Promise<MethodReport[]> {
    if (reports.length === 0) return [];
    const rows = (await manager.query(
      `INSERT INTO method_availability (method_type, available, retry_after_seconds, changed_at)
       SELECT * FROM unnest($1::text[], $2::boolean[], $3::int[], $4::timestamptz[])
       ON CONFLICT (method_type) DO UPDATE
         SET available = EXCLUDED.available,
             retry_after_seconds = EXCLUDED.retry_after_seconds,
             changed_at = EXCLUDED.changed_at,
             updated_at = now()
         WHERE method_availability.changed_at <= EXCLUDED.changed_at
       RETURNING method_type, available, retry_after_seconds, changed_at`,
      [
        reports.map((report) => report.methodType),
        reports.map((report) => report.available),
        reports.map((report) => report.retryAfterSeconds ?? null),
        reports.map((report) => new Date(report.changedAtMs)),
      ],
    )) as AvailabilityRow[];
    return rows.map(reportOf);
  }

  async findAll(manager: EntityManager): Promise<MethodReport[]> {
    const rows = (await manager.query(
      'SELECT method_type, available, retry_after_seconds, changed_at FROM method_availability',
    )) as AvailabilityRow[];
    return rows.map(reportOf);
  }
}
