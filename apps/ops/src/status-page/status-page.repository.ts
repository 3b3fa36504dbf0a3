import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Diagnosis, RoutingChange, RuleKind } from '@keel/ops-domain';
import type { IncidentStatus, MitigationStage } from '../incidents/incident';
import { BUYER_UPDATE_KINDS, type StatusIncident, type SwitchedOff } from './status-page';

interface IncidentRow {
  id: string;
  status: IncidentStatus;
  rule_kind: RuleKind;
  diagnosis: Diagnosis;
  mitigation: RoutingChange[] | null;
  mitigation_stage: MitigationStage | null;
  started_at: Date;
  resolved_at: Date | null;
}

/** What a page may read, each read bounded by its limit. */
export interface StatusPageLimits {
  readonly historyDays: number;
  readonly incidentsMax: number;
  readonly updatesMax: number;
  readonly switchedOffMax: number;
}

// Only the columns the page shows: no titles, figures, notes, actors or post-mortem texts are read.
const COLUMNS = 'id, status, rule_kind, diagnosis, mitigation, mitigation_stage, started_at, resolved_at';
// Keel's own pipelines are not a buyer's concern (status-page.ts); left out before the limit applies.
const PUBLIC_SCOPES = "scope_key NOT LIKE 'service:%'";

/** The reads of the public status page over ops' tables. */
@Injectable()
export class StatusPageRepository {
  async switchedOff(manager: EntityManager, limits: StatusPageLimits): Promise<SwitchedOff[]> {
    const rows = (await manager.query(
      `SELECT method_type, provider, notice, enabled AS limited FROM method_statuses
       WHERE NOT enabled OR admitted_percent IS NOT NULL
       ORDER BY method_type, provider LIMIT $1`,
      [limits.switchedOffMax],
    )) as { method_type: string; provider: string; notice: string | null; limited: boolean }[];
    return rows.map((row) => ({
      methodType: row.method_type,
      provider: row.provider,
      notice: row.notice,
      limited: row.limited,
    }));
  }

  /** The incidents not resolved, newest first. */
  async current(manager: EntityManager, limits: StatusPageLimits): Promise<StatusIncident[]> {
    const rows = (await manager.query(
      `SELECT ${COLUMNS} FROM incidents WHERE status <> 'resolved' AND ${PUBLIC_SCOPES}
       ORDER BY detected_at DESC, id DESC LIMIT $1`,
      [limits.incidentsMax],
    )) as IncidentRow[];
    return this.#withUpdates(manager, rows, limits);
  }

  /** The incidents resolved within the history's days, the latest resolved first. */
  async resolved(manager: EntityManager, limits: StatusPageLimits): Promise<StatusIncident[]> {
    const rows = (await manager.query(
      `SELECT ${COLUMNS} FROM incidents
       WHERE status = 'resolved' AND resolved_at >= now() - make_interval(days => $1) AND ${PUBLIC_SCOPES}
       ORDER BY resolved_at DESC, id DESC LIMIT $2`,
      [limits.historyDays, limits.incidentsMax],
    )) as IncidentRow[];
    return this.#withUpdates(manager, rows, limits);
  }

  /** Each incident's newest updates of the kinds buyers hear of (kinds and times only), in one query. */
  async #withUpdates(
    manager: EntityManager,
    rows: readonly IncidentRow[],
    limits: StatusPageLimits,
  ): Promise<StatusIncident[]> {
    if (rows.length === 0) return [];
    const updates = (await manager.query(
      `SELECT incident_id, at, kind FROM (
         SELECT incident_id, id, at, kind,
                row_number() OVER (PARTITION BY incident_id ORDER BY id DESC) AS newest
         FROM incident_updates WHERE incident_id = ANY($1::uuid[]) AND kind = ANY($2::text[])
       ) numbered
       WHERE newest <= $3 ORDER BY incident_id, id`,
      [rows.map((row) => row.id), [...BUYER_UPDATE_KINDS], limits.updatesMax],
    )) as { incident_id: string; at: Date; kind: string }[];
    const updatesOf = new Map<string, { at: Date; kind: string }[]>();
    for (const update of updates) {
      const timeline = updatesOf.get(update.incident_id) ?? [];
      timeline.push({ at: update.at, kind: update.kind });
      updatesOf.set(update.incident_id, timeline);
    }
    return rows.map((row) => ({
      id: row.id,
      status: row.status,
      ruleKind: row.rule_kind,
      diagnosis: row.diagnosis,
      mitigation: row.mitigation,
      mitigationStage: row.mitigation_stage,
      startedAt: row.started_at,
      resolvedAt: row.resolved_at,
      updates: updatesOf.get(row.id) ?? [],
    }));
  }
}
