import type { MigrationInterface, QueryRunner } from 'typeorm';

const CLASSES_BEFORE = `'missing_in_keel', 'missing_at_psp', 'amount_mismatch', 'status_mismatch', 'fee_mismatch',
  'duplicate'`;

/**
 * The wallet leg of the three-way check:
 *
 * - keel_seller_payable_movements: what each ledger transaction moved on a seller payable account
 *   (credits positive), once per transaction and account (the dedupe key);
 * - keel_seller_payables: their sum per account, the ledger's seller payable balances as
 *   reconciliation has consumed them;
 * - discrepancies gain the class `wallet_ledger_mismatch` (the wallets' credits and the ledger's
 *   seller payables differ in a currency), open at most once per key whatever the run's PSP and day.
 *
 * Expand only: new tables, a check that accepts one more value, a partial index.
 */
export class KeepSellerPayables1766350000000 implements MigrationInterface {
  name = 'KeepSellerPayables1766350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE keel_seller_payable_movements (
        transaction_id text COLLATE "C" NOT NULL,
        account_id text COLLATE "C" NOT NULL,
        currency char(3) NOT NULL,
        amount_minor bigint NOT NULL,
        payment_order_id text NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (transaction_id, account_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE keel_seller_payables (
        account_id text COLLATE "C" PRIMARY KEY,
        currency char(3) NOT NULL,
        balance_minor bigint NOT NULL,
        movements bigint NOT NULL CHECK (movements > 0)
      )`);
    await queryRunner.query(`ALTER TABLE discrepancies DROP CONSTRAINT discrepancies_class_check`);
    await queryRunner.query(`
      ALTER TABLE discrepancies ADD CONSTRAINT discrepancies_class_check
        CHECK (class IN (${CLASSES_BEFORE}, 'wallet_ledger_mismatch'))`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX discrepancies_wallet_ledger_open_once ON discrepancies (match_key)
         WHERE class = 'wallet_ledger_mismatch' AND status = 'open'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX discrepancies_wallet_ledger_open_once');
    await queryRunner.query(
      `DELETE FROM discrepancy_notes WHERE discrepancy_id IN
         (SELECT id FROM discrepancies WHERE class = 'wallet_ledger_mismatch')`,
    );
    await queryRunner.query(`DELETE FROM discrepancies WHERE class = 'wallet_ledger_mismatch'`);
    await queryRunner.query(`ALTER TABLE discrepancies DROP CONSTRAINT discrepancies_class_check`);
    await queryRunner.query(`
      ALTER TABLE discrepancies ADD CONSTRAINT discrepancies_class_check CHECK (class IN (${CLASSES_BEFORE}))`);
    await queryRunner.query('DROP TABLE keel_seller_payables');
    await queryRunner.query('DROP TABLE keel_seller_payable_movements');
  }
}
