import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * method_statuses.admitted_percent: while ops probes a method or provider it had switched off, the
 * share of its new payments admitted (the rest refused with its notice); null when it is fully on
 * or off. Expand only: a nullable column.
 */
export class AddMethodProbeAdmission1767300000000 implements MigrationInterface {
  name = 'AddMethodProbeAdmission1767300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE method_statuses
        ADD COLUMN admitted_percent smallint
          CHECK (admitted_percent IS NULL OR (admitted_percent BETWEEN 1 AND 99 AND enabled))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE method_statuses DROP COLUMN admitted_percent');
  }
}
