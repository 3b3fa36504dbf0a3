import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * lease_holder: the instance (KEEL_INSTANCE_ID) whose claim holds an order's lease, so that an
 * instance killed mid-call takes its own leases back when it starts again. Expand only: nullable
 * and without a default, so the previous version, which neither writes nor reads it, runs beside
 * the new one (docs/operations/schema-changes.md); its leases, like those of an instance without
 * an id, wait for their expiry.
 */
export class AddLeaseHolder1764200000000 implements MigrationInterface {
  name = 'AddLeaseHolder1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '2s'`);
    await queryRunner.query('ALTER TABLE payment_orders ADD COLUMN lease_holder text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE payment_orders DROP COLUMN lease_holder');
  }
}
