import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The wallet no longer computes the platform fee: it applies the fee the payment order's event
 * carries (`succeeded.v2`), so it knows no rate or rounding to record. Expand
 * (docs/operations/schema-changes.md): `fee_basis_points` and `fee_rounding` become nullable, which
 * is a catalog change without a table scan; the previous version still writes them while it runs
 * beside this one, this version leaves them NULL. Entries written before keep the policy they were
 * computed with. A later release drops both columns.
 */
export class FeeFromEvent1764300000000 implements MigrationInterface {
  name = 'FeeFromEvent1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '2s'`);
    await queryRunner.query(`
      ALTER TABLE wallet_entries
        ALTER COLUMN fee_basis_points DROP NOT NULL,
        ALTER COLUMN fee_rounding DROP NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Succeeds only while every entry has a policy, i.e. before this version credited anything.
    await queryRunner.query(`
      ALTER TABLE wallet_entries
        ALTER COLUMN fee_basis_points SET NOT NULL,
        ALTER COLUMN fee_rounding SET NOT NULL`);
  }
}
