import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * discrepancies: every difference matching finds (each class but `matched` and `timing`), once
 * per PSP, day, class and match key — a re-run of the day updates the same row — with both sides'
 * data, the money at risk, whether it is open, and the runs that first and last saw it;
 * discrepancy_notes: what operators wrote on them. Runs gain the status `completed` (matched).
 * Expand only: new tables, and a status check that accepts one more value.
 */
export class CreateDiscrepancies1766300000000 implements MigrationInterface {
  name = 'CreateDiscrepancies1766300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE reconciliation_runs DROP CONSTRAINT reconciliation_runs_status_check`,
    );
    await queryRunner.query(`
      ALTER TABLE reconciliation_runs ADD CONSTRAINT reconciliation_runs_status_check
        CHECK (status IN ('running', 'ingested', 'completed', 'failed'))`);
    await queryRunner.query(`
      CREATE TABLE discrepancies (
        id uuid PRIMARY KEY,
        psp text NOT NULL,
        settlement_date date NOT NULL,
        class text NOT NULL CHECK (class IN ('missing_in_keel', 'missing_at_psp', 'amount_mismatch',
          'status_mismatch', 'fee_mismatch', 'duplicate')),
        match_key text COLLATE "C" NOT NULL,
        merchant_reference text,
        psp_reference text,
        keel_data jsonb,
        psp_data jsonb NOT NULL,
        reason text NOT NULL,
        money_at_risk_minor bigint NOT NULL CHECK (money_at_risk_minor >= 0),
        currency char(3) NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'resolved')),
        first_run_id uuid NOT NULL REFERENCES reconciliation_runs (id),
        last_run_id uuid NOT NULL REFERENCES reconciliation_runs (id),
        opened_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        resolved_by text,
        resolution_note text,
        CONSTRAINT discrepancies_once UNIQUE (psp, settlement_date, class, match_key),
        CHECK ((status = 'resolved') = (resolved_at IS NOT NULL AND resolved_by IS NOT NULL))
      )`);
    // The API's list: newest day first, then id; the open ones of a day, which a run supersedes.
    await queryRunner.query(
      `CREATE INDEX discrepancies_newest_first ON discrepancies (settlement_date DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX discrepancies_open_of_day ON discrepancies (psp, settlement_date) WHERE status = 'open'`,
    );
    await queryRunner.query(`
      CREATE TABLE discrepancy_notes (
        id uuid PRIMARY KEY,
        discrepancy_id uuid NOT NULL REFERENCES discrepancies (id),
        actor text NOT NULL,
        note text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX discrepancy_notes_of_discrepancy ON discrepancy_notes (discrepancy_id, created_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE discrepancy_notes');
    await queryRunner.query('DROP TABLE discrepancies');
    await queryRunner.query(`UPDATE reconciliation_runs SET status = 'ingested' WHERE status = 'completed'`);
    await queryRunner.query(
      `ALTER TABLE reconciliation_runs DROP CONSTRAINT reconciliation_runs_status_check`,
    );
    await queryRunner.query(`
      ALTER TABLE reconciliation_runs ADD CONSTRAINT reconciliation_runs_status_check
        CHECK (status IN ('running', 'ingested', 'failed'))`);
  }
}
