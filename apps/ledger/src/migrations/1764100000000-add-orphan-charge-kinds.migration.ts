import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orphan charges (money a PSP took for a payment order Keel had given up on): a liability
 * account kind for the money owed back to the buyer, and the two transaction kinds that owe it
 * and settle it. The checks are replaced whole; the first migration's names are PostgreSQL's
 * defaults for column checks.
 */
export class AddOrphanChargeKinds1764100000000 implements MigrationInterface {
  name = 'AddOrphanChargeKinds1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check,
        ADD CONSTRAINT accounts_kind_check
        CHECK (kind IN ('psp_clearing', 'seller_payable', 'fee_revenue', 'orphan_refund_payable'))`);
    await queryRunner.query(`
      ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check,
        ADD CONSTRAINT ledger_transactions_kind_check
        CHECK (kind IN ('payment_order_charge', 'reversal', 'orphan_charge', 'orphan_charge_refund'))`);
  }

  /** Fails while orphan accounts or transactions exist: the journal is append-only, by design. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check,
        ADD CONSTRAINT ledger_transactions_kind_check CHECK (kind IN ('payment_order_charge', 'reversal'))`);
    await queryRunner.query(`
      ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check,
        ADD CONSTRAINT accounts_kind_check CHECK (kind IN ('psp_clearing', 'seller_payable', 'fee_revenue'))`);
  }
}
