import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The payment service's own tables: the event store (the truth), the projections read by the API
 * (rebuilt from the events at any time), and the idempotency keys of the HTTP API.
 */
export class CreatePaymentTables1763900010000 implements MigrationInterface {
  name = 'CreatePaymentTables1763900010000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // UNIQUE (payment_id, version) is the optimistic-concurrency check: two writers that read the
    // same version cannot both append the next one.
    await queryRunner.query(`
      CREATE TABLE payment_events (
        position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        payment_id text NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        type text NOT NULL,
        data jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payment_events_payment_id_version_key UNIQUE (payment_id, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE payments (
        id text PRIMARY KEY,
        merchant_id text NOT NULL,
        checkout_id text NOT NULL,
        buyer_id text NOT NULL,
        buyer_email text,
        buyer_country text,
        payment_method_type text NOT NULL,
        payment_method_provider text NOT NULL,
        currency text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        status text NOT NULL,
        failure_code text,
        failure_message text,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT payments_merchant_id_checkout_id_key UNIQUE (merchant_id, checkout_id)
      )`);
    // Newest first per merchant (pagination), and a buyer's recent payments (velocity).
    await queryRunner.query(
      'CREATE INDEX payments_merchant_created ON payments (merchant_id, created_at DESC, id DESC)',
    );
    await queryRunner.query(
      'CREATE INDEX payments_merchant_buyer_created ON payments (merchant_id, buyer_id, created_at)',
    );
    await queryRunner.query(`
      CREATE TABLE payment_orders (
        id text PRIMARY KEY,
        payment_id text NOT NULL REFERENCES payments (id),
        merchant_id text NOT NULL,
        position integer NOT NULL,
        seller_id text NOT NULL,
        currency text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        status text NOT NULL,
        psp_id text,
        psp_reference text,
        failure_code text,
        failure_message text,
        wallet_credited_at timestamptz,
        ledger_transaction_id text,
        ledger_recorded_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT payment_orders_payment_id_position_key UNIQUE (payment_id, position)
      )`);
    await queryRunner.query(`
      CREATE TABLE payment_status_history (
        payment_id text NOT NULL REFERENCES payments (id),
        version integer NOT NULL,
        ordinal integer NOT NULL,
        payment_order_id text,
        status text NOT NULL,
        reason_code text,
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (payment_id, version, ordinal)
      )`);
    // One row per (merchant, key): the INSERT that claims a key is the lock against concurrent copies.
    // The response body is text, not jsonb, so that a replay is byte-identical to the first answer.
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        merchant_id text NOT NULL,
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        claim_token uuid NOT NULL,
        claimed_at timestamptz NOT NULL,
        response_status integer,
        response_headers jsonb,
        response_body text,
        completed_at timestamptz,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (merchant_id, idempotency_key),
        CHECK ((completed_at IS NULL) = (response_status IS NULL))
      )`);
    await queryRunner.query('CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE idempotency_keys');
    await queryRunner.query('DROP TABLE payment_status_history');
    await queryRunner.query('DROP TABLE payment_orders');
    await queryRunner.query('DROP TABLE payments');
    await queryRunner.query('DROP TABLE payment_events');
  }
}

export const PAYMENT_MIGRATIONS = [CreatePaymentTables1763900010000];
