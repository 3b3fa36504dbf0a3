import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partial indexes behind admission control's backlog sampler: the payments still processing (the
 * backlog, counted several times a second) and the terminal ones by last update (the recent
 * completion rate). Each stays small or is read only over a short recent range.
 */
export class IndexPaymentBacklog1763900400000 implements MigrationInterface {
  name = 'IndexPaymentBacklog1763900400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX payments_processing ON payments (created_at) WHERE status = 'processing'`,
    );
    await queryRunner.query(
      `CREATE INDEX payments_terminal_updated ON payments (updated_at) WHERE status <> 'processing'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX payments_terminal_updated');
    await queryRunner.query('DROP INDEX payments_processing');
  }
}
