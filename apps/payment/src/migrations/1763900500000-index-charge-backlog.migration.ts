import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partial indexes behind admission control's charge backlog: the orders still waiting for the
 * executor's outcome, keyed by payment so the sampler counts distinct payments in index order and
 * stops at its cap; and the executor's outcome events by the time they were recorded, with the
 * payment id, so the recent charge rate is an index-only read of a short recent range. The first
 * stays as small as the backlog; the second only ever grows at its right edge.
 *
 * The indexes of IndexPaymentBacklog1763900400000 served the previous sampler; they are left for
 * instances of the previous version running beside this one during a rolling deploy, and go in a
 * later migration.
 */
export class IndexChargeBacklog1763900500000 implements MigrationInterface {
  name = 'IndexChargeBacklog1763900500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX payment_orders_awaiting_charge ON payment_orders (payment_id)
        WHERE status IN ('created', 'executing', 'unknown')`,
    );
    await queryRunner.query(
      `CREATE INDEX payment_events_charge_outcomes ON payment_events (recorded_at) INCLUDE (payment_id)
        WHERE type IN ('OrderSucceeded', 'OrderDeclined', 'OrderFailed')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX payment_events_charge_outcomes');
    await queryRunner.query('DROP INDEX payment_orders_awaiting_charge');
  }
}
