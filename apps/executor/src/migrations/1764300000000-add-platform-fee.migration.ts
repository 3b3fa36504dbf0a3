import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * platform_fee_minor: the platform fee the payment service decided for the order (in the order's
 * currency), carried from its execution request to `succeeded.v2`, where wallet and ledger apply
 * it. Expand only (docs/operations/schema-changes.md): nullable, without a default, so the previous
 * version, which neither writes nor reads it, runs beside this one, and orders requested before
 * fees travelled keep NULL. The range check is NOT VALID: it holds for every row written from now
 * on without scanning the table; a later release validates it and sets NOT NULL.
 */
export class AddPlatformFee1764300000000 implements MigrationInterface {
  name = 'AddPlatformFee1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '2s'`);
    await queryRunner.query('ALTER TABLE payment_orders ADD COLUMN platform_fee_minor bigint');
    await queryRunner.query(`
      ALTER TABLE payment_orders ADD CONSTRAINT payment_orders_platform_fee_range
        CHECK (platform_fee_minor >= 0 AND platform_fee_minor < amount_minor) NOT VALID`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE payment_orders DROP COLUMN platform_fee_minor');
  }
}
