import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * psp_webhook_events: every verified PSP notification, once (its id is unique per PSP), so a
 * redelivery is answered 200 without a second effect. orphan_charges: charges a PSP made for
 * orders Keel had given up on, each refunded by a poll loop with bounded retries.
 */
export class CreateWebhookAndOrphanTables1763900900000 implements MigrationInterface {
  name = 'CreateWebhookAndOrphanTables1763900900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE psp_webhook_events (
        psp_id text NOT NULL,
        event_id text NOT NULL CHECK (char_length(event_id) BETWEEN 1 AND 200),
        payment_order_id text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        payload text NOT NULL,
        PRIMARY KEY (psp_id, event_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX psp_webhook_events_order ON psp_webhook_events (payment_order_id, received_at)',
    );
    // One charge per order and PSP: the payment order id is the idempotency key at every PSP.
    await queryRunner.query(`
      CREATE TABLE orphan_charges (
        psp_id text NOT NULL,
        payment_order_id text NOT NULL,
        payment_id text NOT NULL,
        psp_reference text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        detected_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        refund_status text NOT NULL DEFAULT 'pending'
          CHECK (refund_status IN ('pending', 'refunded', 'gave_up')),
        refund_requested_at timestamptz,
        refunded_at timestamptz,
        refund_reference text,
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        PRIMARY KEY (psp_id, payment_order_id),
        CONSTRAINT orphan_charges_refunded CHECK (
          (refund_status = 'refunded') = (refunded_at IS NOT NULL AND refund_reference IS NOT NULL)
        )
      )`);
    await queryRunner.query(
      `CREATE INDEX orphan_charges_due ON orphan_charges (next_attempt_at) WHERE refund_status = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE orphan_charges');
    await queryRunner.query('DROP TABLE psp_webhook_events');
  }
}
