import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which payment methods the executor can currently charge (keel.psp.method_availability_changed.v1).
 * A method without a row is available: the table only ever holds what the executor reported.
 */
export class CreateMethodAvailability1763900300000 implements MigrationInterface {
  name = 'CreateMethodAvailability1763900300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE method_availability (
        method_type text PRIMARY KEY,
        available boolean NOT NULL,
        retry_after_seconds integer CHECK (retry_after_seconds > 0),
        changed_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE method_availability');
  }
}
