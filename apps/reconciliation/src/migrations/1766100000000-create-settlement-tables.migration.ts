import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * settlement_files: each PSP file ingested once (PSP, day and SHA-256 of its bytes), with its
 * totals; settlement_rows: its rows, keyed by file and line, indexed for the matcher's reads sorted
 * by PSP reference and by merchant reference in byte order (COLLATE "C", as mergeJoin compares).
 * A row's file is checked at commit (DEFERRABLE): rows stream in before the file's checksum is
 * known. reconciliation_runs: each run, its trigger and how it ended. Expand only: new tables.
 */
export class CreateSettlementTables1766100000000 implements MigrationInterface {
  name = 'CreateSettlementTables1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE settlement_files (
        id uuid PRIMARY KEY,
        psp text NOT NULL,
        settlement_date date NOT NULL,
        checksum text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
        source text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        row_count integer NOT NULL CHECK (row_count >= 0),
        late_row_count integer NOT NULL CHECK (late_row_count >= 0),
        totals jsonb NOT NULL,
        ingested_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT settlement_files_ingested_once UNIQUE (psp, settlement_date, checksum)
      )`);
    await queryRunner.query(`
      CREATE TABLE settlement_rows (
        file_id uuid NOT NULL
          REFERENCES settlement_files (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        line integer NOT NULL,
        psp_reference text NOT NULL,
        merchant_reference text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('charge', 'refund')),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        fee_minor bigint,
        event_at timestamptz NOT NULL,
        late boolean NOT NULL,
        PRIMARY KEY (file_id, line)
      )`);
    await queryRunner.query(
      `CREATE INDEX settlement_rows_by_psp_reference
         ON settlement_rows (file_id, psp_reference COLLATE "C", line)`,
    );
    await queryRunner.query(
      `CREATE INDEX settlement_rows_by_merchant_reference
         ON settlement_rows (file_id, merchant_reference COLLATE "C", line)`,
    );
    await queryRunner.query(`
      CREATE TABLE reconciliation_runs (
        id uuid PRIMARY KEY,
        psp text NOT NULL,
        settlement_date date NOT NULL,
        trigger text NOT NULL CHECK (trigger IN ('schedule', 'api', 'upload')),
        status text NOT NULL CHECK (status IN ('running', 'ingested', 'failed')),
        started_at timestamptz(3) NOT NULL,
        finished_at timestamptz,
        file_id uuid REFERENCES settlement_files (id),
        error jsonb,
        summary jsonb,
        CHECK ((status = 'running') = (finished_at IS NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX reconciliation_runs_newest_first ON reconciliation_runs (started_at DESC, id DESC)`,
    );
    // One scheduled run per PSP and day across instances; a failed one may be run again.
    await queryRunner.query(
      `CREATE UNIQUE INDEX reconciliation_runs_scheduled_once ON reconciliation_runs (psp, settlement_date)
         WHERE trigger = 'schedule' AND status <> 'failed'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE reconciliation_runs');
    await queryRunner.query('DROP TABLE settlement_rows');
    await queryRunner.query('DROP TABLE settlement_files');
  }
}
