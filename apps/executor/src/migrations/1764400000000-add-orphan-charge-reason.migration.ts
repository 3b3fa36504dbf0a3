import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * orphan_charges.reason: why the charge is refunded. `order_ended` (every row so far): the order
 * ended without it; `amount_mismatch`: the PSP captured another amount or currency than the
 * order's, so the order failed and the charge is given back (amount_minor and currency are then
 * what the PSP captured). Expand only (docs/operations/schema-changes.md): the previous version,
 * which does not write it, records `order_ended` through the default, which every row it writes
 * is; the constant default adds the column without rewriting the table, and the check is NOT
 * VALID so it scans nothing.
 */
export class AddOrphanChargeReason1764400000000 implements MigrationInterface {
  name = 'AddOrphanChargeReason1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '2s'`);
    await queryRunner.query(
      `ALTER TABLE orphan_charges ADD COLUMN reason text NOT NULL DEFAULT 'order_ended'`,
    );
    await queryRunner.query(`
      ALTER TABLE orphan_charges ADD CONSTRAINT orphan_charges_reason
        CHECK (reason IN ('order_ended', 'amount_mismatch')) NOT VALID`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE orphan_charges DROP COLUMN reason');
  }
}
