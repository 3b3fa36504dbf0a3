import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Merchants' API keys: never the key, only its HMAC-SHA-256 under API_KEY_HASH_SECRET (unique:
 * the lookup of every authenticated request) and its visible prefix (listing, revoking). A key
 * ends at expires_at or revoked_at, whichever comes first; a revocation may be set in the future,
 * so an old key keeps working while its successor is rolled out. Expand-only: a new table.
 */
export class CreateApiKeys1763900700000 implements MigrationInterface {
  name = 'CreateApiKeys1763900700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE api_keys (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        merchant_id text NOT NULL,
        mode text NOT NULL CHECK (mode IN ('test', 'live')),
        prefix text NOT NULL,
        hash text NOT NULL,
        name text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT api_keys_hash_key UNIQUE (hash)
      )`);
    await queryRunner.query('CREATE INDEX api_keys_merchant_created ON api_keys (merchant_id, created_at)');
    await queryRunner.query('CREATE INDEX api_keys_prefix ON api_keys (prefix)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE api_keys');
  }
}
