import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox and inbox tables every service owns in its own database. The outbox keeps
 * Debezium's column names (id, aggregatetype, aggregateid, type, payload) so that a CDC relay
 * could read it later. Services list this migration first in their own migrations.
 */
export class CreateMessagingTables1763900000000 implements MigrationInterface {
  name = 'CreateMessagingTables1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox (
        id uuid PRIMARY KEY,
        position bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        aggregatetype text NOT NULL,
        aggregateid text NOT NULL,
        type text NOT NULL,
        payload jsonb NOT NULL,
        headers jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX outbox_unpublished ON outbox (position) WHERE published_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL`,
    );
    // One notification per inserting statement, delivered at commit: a wake-up hint for the relay.
    await queryRunner.query(`
      CREATE FUNCTION keel_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('keel_outbox', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
      FOR EACH STATEMENT EXECUTE FUNCTION keel_outbox_notify()`);
    await queryRunner.query(`
      CREATE TABLE inbox (
        consumer text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        topic text NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE inbox');
    await queryRunner.query('DROP TRIGGER outbox_notify ON outbox');
    await queryRunner.query('DROP FUNCTION keel_outbox_notify()');
    await queryRunner.query('DROP TABLE outbox');
  }
}

/**
 * The relay deletes rows once Kafka acknowledged them (no published mark, no retention pass), and
 * the NOTIFY trigger goes: every NOTIFYing commit of the server queues on one lock until its WAL
 * is flushed. Inbox rows are purged by age, which needs an index on it.
 */
export class OutboxWithoutNotify1765000000000 implements MigrationInterface {
  name = 'OutboxWithoutNotify1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER outbox_notify ON outbox');
    await queryRunner.query('DROP FUNCTION keel_outbox_notify()');
    await queryRunner.query('DELETE FROM outbox WHERE published_at IS NOT NULL');
    await queryRunner.query('DROP INDEX outbox_published');
    await queryRunner.query('DROP INDEX outbox_unpublished');
    await queryRunner.query('ALTER TABLE outbox DROP COLUMN published_at');
    await queryRunner.query('CREATE INDEX inbox_processed_at ON inbox (processed_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX inbox_processed_at');
    await queryRunner.query('ALTER TABLE outbox ADD COLUMN published_at timestamptz');
    await queryRunner.query(
      `CREATE INDEX outbox_unpublished ON outbox (position) WHERE published_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE FUNCTION keel_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('keel_outbox', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
      FOR EACH STATEMENT EXECUTE FUNCTION keel_outbox_notify()`);
  }
}

export const MESSAGING_MIGRATIONS = [CreateMessagingTables1763900000000, OutboxWithoutNotify1765000000000];
