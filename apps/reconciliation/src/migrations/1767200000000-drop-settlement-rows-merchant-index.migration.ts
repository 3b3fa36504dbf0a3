import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * settlement_rows loses its index by merchant reference. No read uses it: the matcher's second pass
 * sorts the few rows its first pass left unpaired (PostgreSQL chose a sort over the index on a
 * 1,000,000-row file), and the late rows are found by file. Kept, it cost every stored row a random
 * insert into a second text B-tree: COPY of a 1,000,000-row file into a copy of the table took
 * 5.8–8.3 s with it and 3.8–6.4 s without. Safe for old and new pods side by side: an index less.
 */
export class DropSettlementRowsMerchantIndex1767200000000 implements MigrationInterface {
  name = 'DropSettlementRowsMerchantIndex1767200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '2s'`);
    await queryRunner.query('DROP INDEX settlement_rows_by_merchant_reference');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX settlement_rows_by_merchant_reference
         ON settlement_rows (file_id, merchant_reference COLLATE "C", line)`,
    );
  }
}
