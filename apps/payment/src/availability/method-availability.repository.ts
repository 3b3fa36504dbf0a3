import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface MethodUnavailability {
  readonly methodType: string;
  readonly retryAfterSeconds: number | undefined;
}

/** The SQL of table method_availability. */
@Injectable()
export class MethodAvailabilityRepository {
  /** Keeps the newest report per method: an older event delivered late changes nothing. */
  async record(
    manager: EntityManager,
    report: { methodType: string; available: boolean; retryAfterSeconds?: number; changedAt: string },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO method_availability (method_type, available, retry_after_seconds, changed_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (method_type) DO UPDATE
         SET available = EXCLUDED.available,
             retry_after_seconds = EXCLUDED.retry_after_seconds,
             changed_at = EXCLUDED.changed_at,
             updated_at = now()
         WHERE method_availability.changed_at <= EXCLUDED.changed_at`,
      [report.methodType, report.available, report.retryAfterSeconds ?? null, report.changedAt],
    );
  }

  async findUnavailable(
    manager: EntityManager,
    methodType: string,
  ): Promise<MethodUnavailability | undefined> {
    const [row] = (await manager.query(
      `SELECT method_type, retry_after_seconds
       FROM method_availability
       WHERE method_type = $1 AND NOT available`,
      [methodType],
    )) as { method_type: string; retry_after_seconds: number | null }[];
    return row === undefined
      ? undefined
      : { methodType: row.method_type, retryAfterSeconds: row.retry_after_seconds ?? undefined };
  }
}
