import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PSP fee adjustments (reconciliation found a PSP kept another fee than its contract's): the
 * expense account kind `psp_fee_expense` (debit-normal, owned by a PSP), the transaction kind
 * `psp_fee_adjustment`, and `ledger_transactions.reason`, the why of an entry that needs one
 * (null for the others). Expand only: checks that accept more, and a nullable column (no rewrite).
 */
export class AddPspFeeAdjustments1766400000000 implements MigrationInterface {
  name = 'AddPspFeeAdjustments1766400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '2s'`);
    await queryRunner.query(`
      ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check,
        ADD CONSTRAINT accounts_kind_check CHECK (kind IN ('psp_clearing', 'seller_payable', 'fee_revenue',
          'orphan_refund_payable', 'psp_fee_expense')),
        DROP CONSTRAINT accounts_normal_side,
        ADD CONSTRAINT accounts_normal_side CHECK (
          normal_side = CASE WHEN kind IN ('psp_clearing', 'psp_fee_expense') THEN 'debit' ELSE 'credit' END)`);
    await queryRunner.query(`
      ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check,
        ADD CONSTRAINT ledger_transactions_kind_check CHECK (kind IN ('payment_order_charge', 'reversal',
          'orphan_charge', 'orphan_charge_refund', 'psp_fee_adjustment')),
        ADD COLUMN reason text CHECK (char_length(reason) BETWEEN 1 AND 500)`);
  }

  /** Fails while fee adjustments exist: the journal is append-only, by design. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE ledger_transactions DROP COLUMN reason, DROP CONSTRAINT ledger_transactions_kind_check,
        ADD CONSTRAINT ledger_transactions_kind_check
        CHECK (kind IN ('payment_order_charge', 'reversal', 'orphan_charge', 'orphan_charge_refund'))`);
    await queryRunner.query(`
      ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check,
        ADD CONSTRAINT accounts_kind_check
        CHECK (kind IN ('psp_clearing', 'seller_payable', 'fee_revenue', 'orphan_refund_payable')),
        DROP CONSTRAINT accounts_normal_side,
        ADD CONSTRAINT accounts_normal_side
        CHECK (normal_side = CASE kind WHEN 'psp_clearing' THEN 'debit' ELSE 'credit' END)`);
  }
}
