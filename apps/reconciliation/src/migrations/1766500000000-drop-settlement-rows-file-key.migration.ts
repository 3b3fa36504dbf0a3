import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * settlement_rows loses its foreign key to settlement_files. Checked at commit (DEFERRABLE, as rows
 * stream in before their file's checksum is known), it looked its file up once per row: 2.5 s of a
 * 300,000-row file's commit, after the rows were written. What it guarded holds by construction: a
 * file's rows are written only by its ingestion, in the transaction that adds the file's row or
 * rolls everything back; nothing deletes a file. Safe for old and new pods side by side: a
 * constraint less.
 */
export class DropSettlementRowsFileKey1766500000000 implements MigrationInterface {
  name = 'DropSettlementRowsFileKey1766500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '2s'`);
    await queryRunner.query('ALTER TABLE settlement_rows DROP CONSTRAINT settlement_rows_file_id_fkey');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE settlement_rows ADD CONSTRAINT settlement_rows_file_id_fkey FOREIGN KEY (file_id)
        REFERENCES settlement_files (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED`);
  }
}
