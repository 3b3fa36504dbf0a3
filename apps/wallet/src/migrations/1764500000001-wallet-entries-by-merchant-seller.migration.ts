import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Serves the newest-first, keyset-paged listing of one merchant's seller's entries. Built
 * concurrently (outside a transaction), so credits go on while it builds. The index by seller
 * alone (wallet_entries_by_seller) is no longer read and goes in a later release.
 */
export class WalletEntriesByMerchantSeller1764500000001 implements MigrationInterface {
  name = 'WalletEntriesByMerchantSeller1764500000001';
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    // A build that failed half-way leaves an invalid index; the retry replaces it.
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS wallet_entries_by_merchant_seller');
    await queryRunner.query(`
      CREATE INDEX CONCURRENTLY wallet_entries_by_merchant_seller
        ON wallet_entries (merchant_id, seller_id, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS wallet_entries_by_merchant_seller');
  }
}
