import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The routing configuration: which PSPs may charge a payment method (or one provider of it: an
 * issuer, an easy-pay provider, a bank) and in what proportion. Data, so that it changes without a
 * restart; seeded with every simulated PSP where its dialect supports the method.
 */
export class CreatePspRoutes1763900300000 implements MigrationInterface {
  name = 'CreatePspRoutes1763900300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE psp_routes (
        method_type text NOT NULL,
        provider text NOT NULL DEFAULT '*',
        psp_id text NOT NULL,
        weight integer NOT NULL CHECK (weight >= 0),
        enabled boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (method_type, provider, psp_id)
      )
    `);
    await queryRunner.query(`
      INSERT INTO psp_routes (method_type, provider, psp_id, weight) VALUES
        ('card', '*', 'acme', 70),
        ('card', '*', 'nova', 30),
        ('easy_pay', '*', 'swiftpay', 100),
        ('bank_transfer', '*', 'nova', 100)
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE psp_routes');
  }
}
