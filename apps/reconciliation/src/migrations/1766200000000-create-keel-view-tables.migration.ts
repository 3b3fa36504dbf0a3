import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keel's side as reconciliation sees it, built from the executor's, ledger's and wallet's events
 * (never their tables):
 *
 * - keel_payment_orders: one row per payment order and PSP holding (or having held) its charge,
 *   with its status there; references and ids are `COLLATE "C"`, so the primary key and the
 *   PSP-reference index give the matcher both of its sorted reads in mergeJoin's byte order, and
 *   (psp, outcome_at) finds a PSP's day.
 * - keel_refunds: the refunds Keel made at a PSP (orphan refunds so far), one per refund reference.
 * - keel_psp_clearing_movements: what each ledger transaction moved on a PSP's clearing account.
 * - keel_wallet_credits, one per payment order (the dedupe key), and keel_wallet_totals, their sum
 *   per merchant, seller and currency.
 *
 * Expand only: new tables.
 */
export class CreateKeelViewTables1766200000000 implements MigrationInterface {
  name = 'CreateKeelViewTables1766200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE keel_payment_orders (
        psp text COLLATE "C" NOT NULL,
        payment_order_id text COLLATE "C" NOT NULL,
        merchant_id text,
        psp_reference text COLLATE "C",
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        status text CHECK (status IN ('succeeded', 'declined', 'failed')),
        outcome_at timestamptz NOT NULL,
        orphan_detected_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (psp, payment_order_id),
        -- The executor calls a charge an orphan only for an order that was not charged.
        CHECK (status <> 'succeeded' OR orphan_detected_at IS NULL),
        -- A record starts from an outcome or from an orphan charge.
        CHECK (status IS NOT NULL OR orphan_detected_at IS NOT NULL)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX keel_payment_orders_by_psp_reference
         ON keel_payment_orders (psp, psp_reference) WHERE psp_reference IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX keel_payment_orders_by_outcome_at ON keel_payment_orders (psp, outcome_at)`,
    );
    await queryRunner.query(`
      CREATE TABLE keel_refunds (
        psp text COLLATE "C" NOT NULL,
        refund_reference text COLLATE "C" NOT NULL,
        payment_order_id text COLLATE "C" NOT NULL,
        psp_reference text COLLATE "C" NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        refunded_at timestamptz NOT NULL,
        PRIMARY KEY (psp, refund_reference)
      )`);
    await queryRunner.query(
      `CREATE INDEX keel_refunds_by_order ON keel_refunds (psp, payment_order_id, refunded_at)`,
    );
    await queryRunner.query(`CREATE INDEX keel_refunds_by_refunded_at ON keel_refunds (psp, refunded_at)`);
    await queryRunner.query(`
      CREATE TABLE keel_psp_clearing_movements (
        transaction_id text COLLATE "C" NOT NULL,
        psp text COLLATE "C" NOT NULL,
        currency char(3) NOT NULL,
        amount_minor bigint NOT NULL,
        kind text NOT NULL,
        payment_order_id text NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (transaction_id, psp, currency)
      )`);
    await queryRunner.query(
      `CREATE INDEX keel_psp_clearing_movements_by_day
         ON keel_psp_clearing_movements (psp, recorded_at) INCLUDE (currency, amount_minor)`,
    );
    await queryRunner.query(`
      CREATE TABLE keel_wallet_credits (
        payment_order_id text COLLATE "C" PRIMARY KEY,
        merchant_id text NOT NULL,
        seller_id text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        credited_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE keel_wallet_totals (
        merchant_id text COLLATE "C" NOT NULL,
        seller_id text COLLATE "C" NOT NULL,
        currency char(3) NOT NULL,
        credited_minor bigint NOT NULL CHECK (credited_minor > 0),
        credits bigint NOT NULL CHECK (credits > 0),
        PRIMARY KEY (merchant_id, seller_id, currency)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE keel_wallet_totals');
    await queryRunner.query('DROP TABLE keel_wallet_credits');
    await queryRunner.query('DROP TABLE keel_psp_clearing_movements');
    await queryRunner.query('DROP TABLE keel_refunds');
    await queryRunner.query('DROP TABLE keel_payment_orders');
  }
}
