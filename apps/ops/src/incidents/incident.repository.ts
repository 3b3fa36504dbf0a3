import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Diagnosis, RoutingChange, RuleKind, RuleResponse } from '@keel/ops-domain';
import type { Incident, IncidentStatus, IncidentUpdate, MitigationStage } from './incident';

interface IncidentRow {
  id: string;
  scope_key: string;
  title: string;
  status: IncidentStatus;
  rule_id: string;
  rule_kind: RuleKind;
  response: RuleResponse;
  diagnosis: Diagnosis;
  observed: number;
  threshold: number;
  mitigation: RoutingChange[] | null;
  mitigation_stage: MitigationStage | null;
  stage_since: Date | null;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  started_at: Date;
  detected_at: Date;
  mitigated_at: Date | null;
  recovered_at: Date | null;
  cause: string | null;
  scope_note: string | null;
  affected_payments: number | null;
  affected_amount_minor: string | null;
  affected_currency: string | null;
}

function incidentOf(row: IncidentRow): Incident {
  return {
    id: row.id,
    scopeKey: row.scope_key,
    title: row.title,
    status: row.status,
    rule: { id: row.rule_id, kind: row.rule_kind, response: row.response },
    diagnosis: row.diagnosis,
    observed: row.observed,
    threshold: row.threshold,
    mitigation: row.mitigation,
    mitigationStage: row.mitigation_stage,
    stageSince: row.stage_since,
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: row.acknowledged_at,
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at,
    postMortem: {
      startedAt: row.started_at,
      detectedAt: row.detected_at,
      mitigatedAt: row.mitigated_at,
      recoveredAt: row.recovered_at,
      cause: row.cause,
      scope: row.scope_note,
      affectedPayments: row.affected_payments,
      affectedAmount:
        row.affected_amount_minor === null || row.affected_currency === null
          ? null
          : { amountMinor: row.affected_amount_minor, currency: row.affected_currency },
    },
  };
}

export interface NewIncident {
  readonly id: string;
  readonly scopeKey: string;
  readonly title: string;
  readonly rule: Incident['rule'];
  readonly diagnosis: Diagnosis;
  readonly observed: number;
  readonly threshold: number;
  readonly startedAt: Date;
  readonly detectedAt: Date;
}

/** A firing seen again on an incident: the rule and figures that fired latest. */
export interface Refiring {
  readonly title: string;
  readonly rule: Incident['rule'];
  readonly diagnosis: Diagnosis;
  readonly observed: number;
  readonly threshold: number;
}

/** The columns a person may set; undefined leaves a column as it is. */
export interface PostMortemChange {
  readonly startedAt?: Date;
  readonly detectedAt?: Date;
  readonly mitigatedAt?: Date;
  readonly recoveredAt?: Date;
  readonly cause?: string;
  readonly scope?: string;
  readonly affectedPayments?: number;
  readonly affectedAmount?: { readonly amountMinor: string; readonly currency: string };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const COLUMNS = `id, scope_key, title, status, rule_id, rule_kind, response, diagnosis, observed, threshold,
  mitigation, mitigation_stage, stage_since, acknowledged_by, acknowledged_at, resolved_by, resolved_at,
  started_at, detected_at, mitigated_at, recovered_at, cause, scope_note, affected_payments,
  affected_amount_minor::text, affected_currency`;

/** The SQL of incidents and incident_updates. */
@Injectable()
export class IncidentRepository {
  async find(manager: EntityManager, id: string, lock = false): Promise<Incident | undefined> {
    if (!UUID_PATTERN.test(id)) return undefined;
    const rows = (await manager.query(
      `SELECT ${COLUMNS} FROM incidents WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    )) as IncidentRow[];
    return rows[0] === undefined ? undefined : incidentOf(rows[0]);
  }

  /** The scope's incident that is not resolved, locked for the caller's change. */
  async unresolvedOf(manager: EntityManager, scopeKey: string): Promise<Incident | undefined> {
    const rows = (await manager.query(
      `SELECT ${COLUMNS} FROM incidents WHERE scope_key = $1 AND status <> 'resolved' FOR UPDATE`,
      [scopeKey],
    )) as IncidentRow[];
    return rows[0] === undefined ? undefined : incidentOf(rows[0]);
  }

  /** Incidents whose automatic response is not finished: the restore stages still to run. */
  async withMitigationUnderway(manager: EntityManager): Promise<Incident[]> {
    const rows = (await manager.query(
      `SELECT ${COLUMNS} FROM incidents WHERE mitigation_stage IN ('mitigated', 'probing') ORDER BY detected_at`,
    )) as IncidentRow[];
    return rows.map(incidentOf);
  }

  /** Newest first, by status when given; `before` continues a page (the last one's id). */
  async list(
    manager: EntityManager,
    filter: { status?: IncidentStatus; limit: number; before?: string },
  ): Promise<Incident[]> {
    const rows = (await manager.query(
      `SELECT ${COLUMNS} FROM incidents
       WHERE ($1::text IS NULL OR status = $1)
         AND ($2::uuid IS NULL OR (detected_at, id) < (SELECT detected_at, id FROM incidents WHERE id = $2))
       ORDER BY detected_at DESC, id DESC LIMIT $3`,
      [filter.status ?? null, filter.before ?? null, filter.limit],
    )) as IncidentRow[];
    return rows.map(incidentOf);
  }

  async insert(manager: EntityManager, incident: NewIncident): Promise<void> {
    await manager.query(
      `INSERT INTO incidents (id, scope_key, title, status, rule_id, rule_kind, response, diagnosis,
                              observed, threshold, started_at, detected_at)
       VALUES ($1, $2, $3, 'open', $4, $5, $6, $7::jsonb, $8, $9, $10, $11)`,
      [
        incident.id,
        incident.scopeKey,
        incident.title,
        incident.rule.id,
        incident.rule.kind,
        incident.rule.response,
        JSON.stringify(incident.diagnosis),
        incident.observed,
        incident.threshold,
        incident.startedAt,
        incident.detectedAt,
      ],
    );
  }

  /** A rule fired (again) on the incident: it is open, with the latest figures. */
  async refire(manager: EntityManager, id: string, firing: Refiring): Promise<void> {
    await manager.query(
      `UPDATE incidents SET status = 'open', recovered_at = NULL, title = $2, rule_id = $3, rule_kind = $4,
         response = $5, diagnosis = $6::jsonb, observed = $7, threshold = $8
       WHERE id = $1`,
      [
        id,
        firing.title,
        firing.rule.id,
        firing.rule.kind,
        firing.rule.response,
        JSON.stringify(firing.diagnosis),
        firing.observed,
        firing.threshold,
      ],
    );
  }

  async markRecovered(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE incidents SET status = 'recovered', recovered_at = $2 WHERE id = $1 AND status = 'open'`,
      [id, at],
    );
  }

  /** The mitigation made (first time: its time is the post-mortem's `mitigated`), and its stage. */
  async setMitigation(
    manager: EntityManager,
    id: string,
    mitigation: readonly RoutingChange[],
    at: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE incidents SET mitigation = $2::jsonb, mitigation_stage = 'mitigated', stage_since = $3,
         mitigated_at = COALESCE(mitigated_at, $3)
       WHERE id = $1`,
      [id, JSON.stringify(mitigation), at],
    );
  }

  async setStage(manager: EntityManager, id: string, stage: MitigationStage, at: Date): Promise<void> {
    await manager.query(`UPDATE incidents SET mitigation_stage = $2, stage_since = $3 WHERE id = $1`, [
      id,
      stage,
      at,
    ]);
  }

  async acknowledge(manager: EntityManager, id: string, actor: string): Promise<void> {
    await manager.query(
      `UPDATE incidents SET acknowledged_by = $2, acknowledged_at = now() WHERE id = $1 AND acknowledged_at IS NULL`,
      [id, actor],
    );
  }

  async resolve(manager: EntityManager, id: string, actor: string): Promise<void> {
    await manager.query(
      `UPDATE incidents SET status = 'resolved', resolved_by = $2, resolved_at = now(),
         recovered_at = COALESCE(recovered_at, now())
       WHERE id = $1`,
      [id, actor],
    );
  }

  async setPostMortem(manager: EntityManager, id: string, change: PostMortemChange): Promise<void> {
    await manager.query(
      `UPDATE incidents SET
         started_at = COALESCE($2, started_at), detected_at = COALESCE($3, detected_at),
         mitigated_at = COALESCE($4, mitigated_at), recovered_at = COALESCE($5, recovered_at),
         cause = COALESCE($6, cause), scope_note = COALESCE($7, scope_note),
         affected_payments = COALESCE($8, affected_payments),
         affected_amount_minor = COALESCE($9::bigint, affected_amount_minor),
         affected_currency = COALESCE($10, affected_currency)
       WHERE id = $1`,
      [
        id,
        change.startedAt ?? null,
        change.detectedAt ?? null,
        change.mitigatedAt ?? null,
        change.recoveredAt ?? null,
        change.cause ?? null,
        change.scope ?? null,
        change.affectedPayments ?? null,
        change.affectedAmount?.amountMinor ?? null,
        change.affectedAmount?.currency ?? null,
      ],
    );
  }

  async addUpdates(
    manager: EntityManager,
    id: string,
    updates: readonly Omit<IncidentUpdate, 'at'>[],
  ): Promise<void> {
    if (updates.length === 0) return;
    await manager.query(
      `INSERT INTO incident_updates (incident_id, actor, kind, text)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])`,
      [
        id,
        updates.map((update) => update.actor),
        updates.map((update) => update.kind),
        updates.map((update) => update.text),
      ],
    );
  }

  async updatesOf(manager: EntityManager, id: string): Promise<IncidentUpdate[]> {
    const rows = (await manager.query(
      'SELECT at, actor, kind, text FROM incident_updates WHERE incident_id = $1 ORDER BY id',
      [id],
    )) as IncidentUpdate[];
    return rows;
  }
}
