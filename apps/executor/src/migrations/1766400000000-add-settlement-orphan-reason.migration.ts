import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * orphan_charges.reason gains `settlement`: reconciliation found the charge in the PSP's settlement
 * file for an order the executor failed or never held (payment_id is then `unknown`). Expand only:
 * the check accepts one more value; the previous version never writes it. NOT VALID, so it scans
 * nothing; every row already satisfies it.
 */
export class AddSettlementOrphanReason1766400000000 implements MigrationInterface {
  name = 'AddSettlementOrphanReason1766400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '2s'`);
    await queryRunner.query(`
      ALTER TABLE orphan_charges DROP CONSTRAINT orphan_charges_reason,
        ADD CONSTRAINT orphan_charges_reason
        CHECK (reason IN ('order_ended', 'amount_mismatch', 'settlement')) NOT VALID`);
  }

  /** Fails while settlement orphans exist: they would break the narrower check. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE orphan_charges DROP CONSTRAINT orphan_charges_reason,
        ADD CONSTRAINT orphan_charges_reason CHECK (reason IN ('order_ended', 'amount_mismatch'))`);
  }
}
