import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * method_status.admitted_percent: while ops probes a method or provider it had switched off
 * (keel.ops.method_status_changed.v1's admittedPercent), the share of its new payments admitted;
 * null when it is fully on or off. Expand only: a nullable column.
 */
export class AddMethodStatusAdmission1767300000000 implements MigrationInterface {
  name = 'AddMethodStatusAdmission1767300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE method_status ADD COLUMN admitted_percent smallint CHECK (admitted_percent BETWEEN 1 AND 99)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE method_status DROP COLUMN admitted_percent');
  }
}
