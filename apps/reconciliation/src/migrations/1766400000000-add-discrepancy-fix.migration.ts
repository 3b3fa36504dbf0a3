import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * discrepancies.fix: the automatic fix reconciliation asked for (`refund_requested`: the executor's
 * orphan refund; `fee_adjustment_requested`: a ledger adjustment), once per discrepancy; null for
 * one left to a person. Expand only: a nullable column, no rewrite.
 */
export class AddDiscrepancyFix1766400000000 implements MigrationInterface {
  name = 'AddDiscrepancyFix1766400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '2s'`);
    await queryRunner.query(`
      ALTER TABLE discrepancies ADD COLUMN fix text
        CHECK (fix IN ('refund_requested', 'fee_adjustment_requested'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE discrepancies DROP COLUMN fix');
  }
}
