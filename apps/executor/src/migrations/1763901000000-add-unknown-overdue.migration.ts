import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * unknown_since: when an order last entered `unknown`; overdue_reported_at: when it was reported
 * as unresolved past EXECUTOR_UNKNOWN_DEADLINE_MS (once per order). Orders already unknown count
 * from their last update.
 */
export class AddUnknownOverdue1763901000000 implements MigrationInterface {
  name = 'AddUnknownOverdue1763901000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE payment_orders
        ADD COLUMN unknown_since timestamptz,
        ADD COLUMN overdue_reported_at timestamptz`);
    await queryRunner.query(`UPDATE payment_orders SET unknown_since = updated_at WHERE status = 'unknown'`);
    await queryRunner.query(
      `ALTER TABLE payment_orders ADD CONSTRAINT payment_orders_unknown_since
         CHECK (status <> 'unknown' OR unknown_since IS NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX payment_orders_unknown_unreported ON payment_orders (unknown_since)
         WHERE status = 'unknown' AND overdue_reported_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX payment_orders_unknown_unreported');
    await queryRunner.query('ALTER TABLE payment_orders DROP CONSTRAINT payment_orders_unknown_since');
    await queryRunner.query(
      'ALTER TABLE payment_orders DROP COLUMN overdue_reported_at, DROP COLUMN unknown_since',
    );
  }
}
