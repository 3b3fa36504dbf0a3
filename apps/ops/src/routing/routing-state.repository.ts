import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ManualHold } from '@keel/ops-domain';

export interface MethodStatus {
  readonly methodType: string;
  readonly provider: string;
  readonly enabled: boolean;
  /** While probed: the share of its new payments admitted, in percent; null: all when enabled. */
  readonly admittedPercent: number | null;
  readonly notice: string | null;
  readonly changedBy: string;
  readonly changedAt: Date;
}

export interface HeldGroup extends ManualHold {
  readonly heldAt: Date;
}

/** What a routing change was recorded with: who, what, before, after, why, and for which incident. */
export interface RoutingChangeRecord {
  readonly actor: string;
  readonly kind: 'weights' | 'method' | 'hold_released';
  readonly methodType: string;
  readonly provider: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly why: string;
  readonly incidentId?: string;
}

export interface RoutingAuditEntry extends RoutingChangeRecord {
  readonly id: string;
  readonly at: Date;
}

/** The SQL of manual_holds, method_statuses and routing_changes (the routing audit). */
@Injectable()
export class RoutingStateRepository {
  async holds(manager: EntityManager): Promise<HeldGroup[]> {
    const rows = (await manager.query(
      'SELECT method_type, provider, actor, held_at FROM manual_holds ORDER BY method_type, provider',
    )) as { method_type: string; provider: string; actor: string; held_at: Date }[];
    return rows.map((row) => ({
      methodType: row.method_type,
      provider: row.provider,
      actor: row.actor,
      heldAt: row.held_at,
    }));
  }

  async hold(manager: EntityManager, methodType: string, provider: string, actor: string): Promise<void> {
    await manager.query(
      `INSERT INTO manual_holds (method_type, provider, actor) VALUES ($1, $2, $3)
       ON CONFLICT (method_type, provider) DO UPDATE SET actor = EXCLUDED.actor, held_at = now()`,
      [methodType, provider, actor],
    );
  }

  /** The hold released, or undefined when there was none. */
  async release(
    manager: EntityManager,
    methodType: string,
    provider: string,
  ): Promise<HeldGroup | undefined> {
    const [rows] = (await manager.query(
      `DELETE FROM manual_holds WHERE method_type = $1 AND provider = $2
       RETURNING method_type, provider, actor, held_at`,
      [methodType, provider],
    )) as [{ method_type: string; provider: string; actor: string; held_at: Date }[], number];
    const [row] = rows;
    return row === undefined
      ? undefined
      : { methodType: row.method_type, provider: row.provider, actor: row.actor, heldAt: row.held_at };
  }

  async methodStatuses(manager: EntityManager): Promise<MethodStatus[]> {
    const rows = (await manager.query(
      `SELECT method_type, provider, enabled, admitted_percent, notice, changed_by, changed_at
       FROM method_statuses ORDER BY method_type, provider`,
    )) as {
      method_type: string;
      provider: string;
      enabled: boolean;
      admitted_percent: number | null;
      notice: string | null;
      changed_by: string;
      changed_at: Date;
    }[];
    return rows.map((row) => ({
      methodType: row.method_type,
      provider: row.provider,
      enabled: row.enabled,
      admittedPercent: row.admitted_percent,
      notice: row.notice,
      changedBy: row.changed_by,
      changedAt: row.changed_at,
    }));
  }

  async setMethodStatus(manager: EntityManager, status: Omit<MethodStatus, 'changedAt'>): Promise<void> {
    await manager.query(
      `INSERT INTO method_statuses (method_type, provider, enabled, admitted_percent, notice, changed_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (method_type, provider) DO UPDATE
         SET enabled = EXCLUDED.enabled, admitted_percent = EXCLUDED.admitted_percent,
             notice = EXCLUDED.notice, changed_by = EXCLUDED.changed_by, changed_at = now()`,
      [
        status.methodType,
        status.provider,
        status.enabled,
        status.admittedPercent,
        status.notice,
        status.changedBy,
      ],
    );
  }

  async record(manager: EntityManager, changes: readonly RoutingChangeRecord[]): Promise<void> {
    if (changes.length === 0) return;
    await manager.query(
      `INSERT INTO routing_changes (actor, kind, method_type, provider, before, after, why, incident_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[],
                            $7::text[], $8::uuid[])`,
      [
        changes.map((change) => change.actor),
        changes.map((change) => change.kind),
        changes.map((change) => change.methodType),
        changes.map((change) => change.provider),
        changes.map((change) => JSON.stringify(change.before)),
        changes.map((change) => JSON.stringify(change.after)),
        changes.map((change) => change.why),
        changes.map((change) => change.incidentId ?? null),
      ],
    );
  }

  /**
   * Newest first; `beforeId` continues a page. Ordered by the table's id: a bare `id` would be the
   * text output column, which puts change 8 after change 16.
   */
  async audit(manager: EntityManager, limit: number, beforeId?: string): Promise<RoutingAuditEntry[]> {
    const rows = (await manager.query(
      `SELECT id::text, at, actor, kind, method_type, provider, before, after, why, incident_id
       FROM routing_changes WHERE ($1::bigint IS NULL OR id < $1::bigint)
       ORDER BY routing_changes.id DESC LIMIT $2`,
      [beforeId ?? null, limit],
    )) as {
      id: string;
      at: Date;
      actor: string;
      kind: RoutingChangeRecord['kind'];
      method_type: string;
      provider: string;
      before: unknown;
      after: unknown;
      why: string;
      incident_id: string | null;
    }[];
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      kind: row.kind,
      methodType: row.method_type,
      provider: row.provider,
      before: row.before,
      after: row.after,
      why: row.why,
      ...(row.incident_id === null ? {} : { incidentId: row.incident_id }),
    }));
  }
}
