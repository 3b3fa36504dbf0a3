import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The merchant whose seller a wallet is, so that two merchants' `seller_a` have two wallets: the
 * wallet key becomes (merchant_id, seller_id, currency), and every entry names its merchant.
 *
 * Existing rows get the placeholder merchant `unknown` (UNKNOWN_MERCHANT_ID): the wallet's own
 * database cannot derive it (the inbox keeps event ids, not payloads; entries name payment orders,
 * whose merchant only the payment service knows). The column is added with that constant default,
 * a catalog change without a table rewrite, and the default is dropped at once, so every row
 * written from now on must name its merchant and only the old rows read `unknown`.
 *
 * This is more than an expand: the old key (seller_id, currency) must go, or two merchants could
 * never hold the same seller id. A wallet of the previous version, whose opening insert names that
 * key, fails its chunks (the inbox retries them, nothing is lost) until it is replaced, so roll the
 * wallet out by replacing its instances rather than running both versions side by side.
 */
export class MerchantScopedWallets1764500000000 implements MigrationInterface {
  name = 'MerchantScopedWallets1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '2s'`);
    for (const table of ['wallets', 'wallet_entries']) {
      await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN merchant_id text NOT NULL DEFAULT 'unknown'`);
      await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN merchant_id DROP DEFAULT`);
    }
    await queryRunner.query(`ALTER TABLE wallet_entries DROP CONSTRAINT wallet_entries_wallet`);
    await queryRunner.query(`
      ALTER TABLE wallets DROP CONSTRAINT wallets_pkey,
        ADD CONSTRAINT wallets_pkey PRIMARY KEY (merchant_id, seller_id, currency)`);
    // NOT VALID, then VALIDATE: the check of the existing entries blocks no writer.
    await queryRunner.query(`
      ALTER TABLE wallet_entries ADD CONSTRAINT wallet_entries_wallet
        FOREIGN KEY (merchant_id, seller_id, currency) REFERENCES wallets (merchant_id, seller_id, currency)
        NOT VALID`);
    await queryRunner.query(`ALTER TABLE wallet_entries VALIDATE CONSTRAINT wallet_entries_wallet`);
  }

  /** Succeeds only while no seller id has wallets of two merchants. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE wallet_entries DROP CONSTRAINT wallet_entries_wallet`);
    await queryRunner.query(`
      ALTER TABLE wallets DROP CONSTRAINT wallets_pkey, ADD CONSTRAINT wallets_pkey PRIMARY KEY (seller_id, currency)`);
    await queryRunner.query(`
      ALTER TABLE wallet_entries ADD CONSTRAINT wallet_entries_wallet
        FOREIGN KEY (seller_id, currency) REFERENCES wallets (seller_id, currency)`);
    await queryRunner.query(`ALTER TABLE wallet_entries DROP COLUMN merchant_id`);
    await queryRunner.query(`ALTER TABLE wallets DROP COLUMN merchant_id`);
  }
}
