import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The age of the oldest order still waiting for its charge outcome, which admission control reads
 * every sample, as the first entry of a partial index as small as the charge backlog.
 */
export class IndexOldestAwaitingCharge1763900600000 implements MigrationInterface {
  name = 'IndexOldestAwaitingCharge1763900600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX payment_orders_awaiting_charge_since ON payment_orders (created_at)
        WHERE status IN ('created', 'executing', 'unknown')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX payment_orders_awaiting_charge_since');
  }
}
