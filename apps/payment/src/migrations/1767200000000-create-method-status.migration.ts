import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payment methods and providers ops switched off for buyers, or on again
 * (keel.ops.method_status_changed.v1): the latest change per method and provider, `*` for the
 * whole method. A method or provider without a row is on.
 */
export class CreateMethodStatus1767200000000 implements MigrationInterface {
  name = 'CreateMethodStatus1767200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE method_status (
        method_type text NOT NULL,
        provider text NOT NULL,
        enabled boolean NOT NULL,
        notice text,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (method_type, provider)
      )
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE method_status');
  }
}
