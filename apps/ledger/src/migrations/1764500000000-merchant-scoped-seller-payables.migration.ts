import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Seller payable accounts belong to one merchant's seller: `accounts.merchant_id`, set for
 * `seller_payable` and only for it, and a new account id for them, `seller_payable:<digest>:<cur>`
 * where the digest is the first 32 hex digits of SHA-256 over `<merchant>/<seller>` (both ids may
 * be 64 characters, so they cannot both stand in a 64-character id; '/' is in neither).
 *
 * The existing seller payables get the placeholder merchant `unknown`: the ledger's data cannot
 * tell whose seller they were (the inbox keeps event ids, not payloads; transactions name payment
 * orders, whose merchant only the payment service knows). They keep their id
 * `seller_payable:<seller>:<cur>`, which their immutable postings reference, and the id check
 * accepts exactly that form for the merchant `unknown`. The accounts table holds one row per
 * owner and currency, so the backfill is one short update.
 *
 * A ledger of the previous version opens seller payables without a merchant, which the new check
 * refuses: its chunks fail and are retried by the inbox (nothing is lost) until it is replaced, so
 * roll the ledger out by replacing its instances.
 */
export class MerchantScopedSellerPayables1764500000000 implements MigrationInterface {
  name = 'MerchantScopedSellerPayables1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '2s'`);
    await queryRunner.query(`ALTER TABLE accounts ADD COLUMN merchant_id text`);
    await queryRunner.query(`UPDATE accounts SET merchant_id = 'unknown' WHERE kind = 'seller_payable'`);
    await queryRunner.query(`
      ALTER TABLE accounts DROP CONSTRAINT accounts_id_format,
        ADD CONSTRAINT accounts_id_format CHECK (
          CASE
            WHEN kind <> 'seller_payable' THEN id = kind || ':' || coalesce(owner || ':', '') || currency
            WHEN merchant_id = 'unknown' THEN id = kind || ':' || owner || ':' || currency
            ELSE id = kind || ':'
              || left(encode(sha256(convert_to(merchant_id || '/' || owner, 'UTF8')), 'hex'), 32)
              || ':' || currency
          END
        ) NOT VALID,
        ADD CONSTRAINT accounts_merchant CHECK ((merchant_id IS NOT NULL) = (kind = 'seller_payable')) NOT VALID`);
    // Validating takes no lock that blocks writers.
    await queryRunner.query(`ALTER TABLE accounts VALIDATE CONSTRAINT accounts_id_format`);
    await queryRunner.query(`ALTER TABLE accounts VALIDATE CONSTRAINT accounts_merchant`);
    await queryRunner.query(
      `CREATE INDEX accounts_by_merchant ON accounts (merchant_id, owner, id) WHERE merchant_id IS NOT NULL`,
    );
  }

  /** Succeeds only while every seller payable is of the merchant `unknown`. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE accounts DROP CONSTRAINT accounts_merchant, DROP CONSTRAINT accounts_id_format,
        ADD CONSTRAINT accounts_id_format CHECK (id = kind || ':' || coalesce(owner || ':', '') || currency)`);
    await queryRunner.query(`ALTER TABLE accounts DROP COLUMN merchant_id`);
  }
}
