import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payment orders and every call made to a PSP for them. The order id is the primary key, so a
 * repeated execution request cannot create a second order, and it is the PSP idempotency key.
 */
export class CreatePaymentOrders1763900100000 implements MigrationInterface {
  name = 'CreatePaymentOrders1763900100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE payment_orders (
        payment_order_id text PRIMARY KEY,
        payment_id text NOT NULL,
        merchant_id text NOT NULL,
        seller_id text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency char(3) NOT NULL,
        method_type text NOT NULL,
        method_provider text,
        instrument_token text,
        status text NOT NULL
          CHECK (status IN ('created', 'executing', 'unknown', 'succeeded', 'declined', 'failed')),
        status_reason text,
        psp_id text,
        psp_reference text,
        result_code text,
        result_message text,
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        inquiries integer NOT NULL DEFAULT 0 CHECK (inquiries >= 0),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_expires_at timestamptz,
        traceparent text,
        requested_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        -- A charge in flight or unresolved is always tied to the one PSP that may hold it.
        CHECK (status NOT IN ('executing', 'unknown', 'succeeded') OR psp_id IS NOT NULL),
        CHECK (status <> 'succeeded' OR psp_reference IS NOT NULL),
        CHECK ((status IN ('succeeded', 'declined', 'failed')) = (completed_at IS NOT NULL))
      )`);
    // The worker and the resolver each poll only the orders that are theirs and due.
    await queryRunner.query(`
      CREATE INDEX payment_orders_due ON payment_orders (status, next_attempt_at)
      WHERE status IN ('created', 'unknown')`);
    await queryRunner.query(`
      CREATE INDEX payment_orders_leased ON payment_orders (lease_expires_at)
      WHERE status = 'executing'`);
    await queryRunner.query(`
      CREATE TABLE payment_order_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        payment_order_id text NOT NULL REFERENCES payment_orders (payment_order_id),
        kind text NOT NULL CHECK (kind IN ('charge', 'inquiry')),
        psp_id text NOT NULL,
        reason text NOT NULL,
        outcome text,
        psp_reference text,
        error_code text,
        error_message text,
        started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz,
        duration_ms integer
      )`);
    await queryRunner.query(
      'CREATE INDEX payment_order_attempts_order ON payment_order_attempts (payment_order_id, id)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE payment_order_attempts');
    await queryRunner.query('DROP TABLE payment_orders');
  }
}

export const EXECUTOR_MIGRATIONS = [CreatePaymentOrders1763900100000];
