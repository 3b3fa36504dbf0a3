import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Seller balances (`wallets`, one row per seller and currency, with a running balance and a
 * version) and their immutable history (`wallet_entries`). The database guards what the code also
 * asserts: one credit per payment order, gross = fee + net, a positive credit, a balance that does
 * not go below zero, and entries that can never be changed or deleted.
 */
export class CreateWalletTables1763950000000 implements MigrationInterface {
  name = 'CreateWalletTables1763950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE wallets (
        seller_id text NOT NULL,
        currency text NOT NULL,
        balance_minor bigint NOT NULL DEFAULT 0,
        version bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (seller_id, currency),
        CONSTRAINT wallets_currency_code CHECK (currency ~ '^[A-Z]{3}$'),
        -- Only credits exist so far; debits (refunds, payouts) will decide whether this may go negative.
        CONSTRAINT wallets_balance_not_negative CHECK (balance_minor >= 0),
        CONSTRAINT wallets_version_not_negative CHECK (version >= 0)
      )`);
    await queryRunner.query(`
      CREATE TABLE wallet_entries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        seller_id text NOT NULL,
        currency text NOT NULL,
        kind text NOT NULL,
        amount_minor bigint NOT NULL,
        gross_amount_minor bigint NOT NULL,
        fee_amount_minor bigint NOT NULL,
        fee_basis_points integer NOT NULL,
        fee_rounding text NOT NULL,
        payment_order_id text NOT NULL,
        payment_id text NOT NULL,
        payment_method_type text NOT NULL,
        balance_after_minor bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT wallet_entries_wallet FOREIGN KEY (seller_id, currency) REFERENCES wallets (seller_id, currency),
        CONSTRAINT wallet_entries_kind CHECK (kind IN ('payment_order_credit')),
        -- The second guard of once-per-order, after the inbox's event-id dedupe: a payment order
        -- published twice under two event ids still credits once.
        CONSTRAINT wallet_entries_one_per_order UNIQUE (kind, payment_order_id),
        CONSTRAINT wallet_entries_credit_positive CHECK (kind <> 'payment_order_credit' OR amount_minor > 0),
        CONSTRAINT wallet_entries_fee_split CHECK (gross_amount_minor = fee_amount_minor + amount_minor),
        CONSTRAINT wallet_entries_fee_not_negative CHECK (fee_amount_minor >= 0),
        CONSTRAINT wallet_entries_fee_basis_points CHECK (fee_basis_points BETWEEN 0 AND 9999)
      )`);
    // Serves the newest-first, keyset-paged listing of a seller's entries.
    await queryRunner.query(`CREATE INDEX wallet_entries_by_seller ON wallet_entries (seller_id, id DESC)`);
    await queryRunner.query(`
      CREATE FUNCTION wallet_entries_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'wallet entries are immutable: % is not allowed; record a new entry instead', TG_OP
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER wallet_entries_immutable BEFORE UPDATE OR DELETE ON wallet_entries
      FOR EACH ROW EXECUTE FUNCTION wallet_entries_reject_change()`);
    await queryRunner.query(`
      CREATE TRIGGER wallet_entries_no_truncate BEFORE TRUNCATE ON wallet_entries
      FOR EACH STATEMENT EXECUTE FUNCTION wallet_entries_reject_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE wallet_entries');
    await queryRunner.query('DROP FUNCTION wallet_entries_reject_change()');
    await queryRunner.query('DROP TABLE wallets');
  }
}
