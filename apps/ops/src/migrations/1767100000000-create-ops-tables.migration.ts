import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CREATE_OPERATOR_AUDIT_TABLE, DROP_OPERATOR_AUDIT_TABLE } from '@keel/operator-auth';

/**
 * ops' own tables. detection_rule_set: the rules in force, one row (the whole set is replaced at
 * once, so it is always consistent). incidents, with their diagnosis, the automatic mitigation and
 * its restore stage, and the post-mortem fields; incident_updates: each incident's timeline.
 * routing_changes: the audit of every routing change, automatic or a person's (actor, at, before,
 * after, why). manual_holds: route groups a person holds against automation. method_statuses: the
 * methods and providers switched off for buyers, with their notice. operator_audit: the operator
 * writes of the back-office API. Expand only: new tables.
 */
export class CreateOpsTables1767100000000 implements MigrationInterface {
  name = 'CreateOpsTables1767100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE detection_rule_set (
        id smallint PRIMARY KEY CHECK (id = 1),
        rules jsonb NOT NULL,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE incidents (
        id uuid PRIMARY KEY,
        scope_key text NOT NULL,
        title text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'recovered', 'resolved')),
        rule_id text NOT NULL,
        rule_kind text NOT NULL,
        response text NOT NULL CHECK (response IN ('alert_only', 'auto_act')),
        diagnosis jsonb NOT NULL,
        observed double precision NOT NULL,
        threshold double precision NOT NULL,
        mitigation jsonb,
        mitigation_stage text CHECK (mitigation_stage IN ('mitigated', 'probing', 'restored')),
        stage_since timestamptz,
        acknowledged_by text,
        acknowledged_at timestamptz,
        resolved_by text,
        started_at timestamptz NOT NULL,
        detected_at timestamptz NOT NULL,
        mitigated_at timestamptz,
        recovered_at timestamptz,
        resolved_at timestamptz,
        cause text,
        scope_note text,
        affected_payments integer CHECK (affected_payments >= 0),
        affected_amount_minor bigint CHECK (affected_amount_minor >= 0),
        affected_currency char(3),
        CHECK ((affected_amount_minor IS NULL) = (affected_currency IS NULL))
      )`);
    // At most one incident per scope is not resolved: a firing updates it rather than opening another.
    await queryRunner.query(
      `CREATE UNIQUE INDEX incidents_one_unresolved_per_scope ON incidents (scope_key) WHERE status <> 'resolved'`,
    );
    await queryRunner.query(`CREATE INDEX incidents_detected_at ON incidents (detected_at DESC, id DESC)`);
    await queryRunner.query(`
      CREATE TABLE incident_updates (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        incident_id uuid NOT NULL REFERENCES incidents (id),
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        kind text NOT NULL,
        text text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX incident_updates_incident ON incident_updates (incident_id, id)`);
    await queryRunner.query(`
      CREATE TABLE routing_changes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('weights', 'method', 'hold_released')),
        method_type text NOT NULL,
        provider text NOT NULL,
        before jsonb NOT NULL,
        after jsonb NOT NULL,
        why text NOT NULL,
        incident_id uuid REFERENCES incidents (id)
      )`);
    await queryRunner.query(`CREATE INDEX routing_changes_at ON routing_changes (id DESC)`);
    await queryRunner.query(`
      CREATE TABLE manual_holds (
        method_type text NOT NULL,
        provider text NOT NULL,
        actor text NOT NULL,
        held_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (method_type, provider)
      )`);
    await queryRunner.query(`
      CREATE TABLE method_statuses (
        method_type text NOT NULL,
        provider text NOT NULL,
        enabled boolean NOT NULL,
        notice text,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (method_type, provider),
        CHECK (enabled OR notice IS NOT NULL)
      )`);
    for (const statement of CREATE_OPERATOR_AUDIT_TABLE) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(DROP_OPERATOR_AUDIT_TABLE);
    await queryRunner.query(
      'DROP TABLE method_statuses, manual_holds, routing_changes, incident_updates, incidents, detection_rule_set',
    );
  }
}
