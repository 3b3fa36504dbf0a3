import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { resolveEndpoints } from '@keel/local-infra';
import { databaseUrlFor } from './database-url.util';
import { DatabaseNotProvisionedError, dropDatabase, ensureDatabase } from './ensure-database';
import { runMigrationsUnderLock } from './migrate';
import { provisionServiceDatabase, serviceDatabaseUrl } from './service-database';

const adminUrl = resolveEndpoints().databaseUrl;
const run = randomBytes(4).toString('hex');
const payment = { database: `keel_t_roles_${run}_payment`, password: randomBytes(16).toString('hex') };
const ledger = { database: `keel_t_roles_${run}_ledger`, password: randomBytes(16).toString('hex') };
const missing = `keel_t_roles_${run}_missing`;

/** What an earlier Keel left: a database the superuser created, migrated as the superuser. */
class CreateItems1700000000001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE item_kind AS ENUM ('a', 'b')`);
    await queryRunner.query(`CREATE TABLE items (id serial PRIMARY KEY, kind item_kind NOT NULL)`);
    await queryRunner.query(`CREATE VIEW item_kinds AS SELECT DISTINCT kind FROM items`);
    await queryRunner.query(
      `CREATE FUNCTION items_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no'; END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER items_no_delete BEFORE DELETE ON items FOR EACH ROW EXECUTE FUNCTION items_refuse_delete()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE items CASCADE`);
    await queryRunner.query(`DROP FUNCTION items_refuse_delete`);
    await queryRunner.query(`DROP TYPE item_kind`);
  }
}

/** A later migration, run by the service as its own role: it changes what the superuser created. */
class ChangeItems1700000000002 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE items ADD COLUMN note text`);
    await queryRunner.query(`ALTER TYPE item_kind ADD VALUE 'c'`);
    await queryRunner.query(`DROP VIEW item_kinds`);
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION items_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'never'; END $$`,
    );
    await queryRunner.query(`INSERT INTO items (kind, note) VALUES ('a', 'written by the owner')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE items DROP COLUMN note`);
  }
}

async function migrate(url: string, migrations: (new () => MigrationInterface)[]): Promise<string[]> {
  const dataSource = await new DataSource({ type: 'postgres', url, migrations }).initialize();
  try {
    return await runMigrationsUnderLock(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

async function connected<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The SQLSTATE an attempt failed with, or `succeeded`. */
async function outcomeOf(attempt: Promise<unknown>): Promise<string> {
  return attempt.then(
    () => 'succeeded',
    (error: unknown) => String((error as { code?: unknown }).code),
  );
}

/** Every object of the database's own schemas with its owner, as the superuser sees them. */
async function ownersIn(database: string): Promise<Record<string, string>> {
  return connected(databaseUrlFor(adminUrl, database), async (client) => {
    const { rows } = await client.query<{ name: string; owner: string }>(`
      SELECT c.relname AS name, pg_get_userbyid(c.relowner) AS owner FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'S', 'v', 'i')
      UNION ALL
      SELECT p.proname, pg_get_userbyid(p.proowner) FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
      UNION ALL
      SELECT t.typname, pg_get_userbyid(t.typowner) FROM pg_type t
        JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'
      UNION ALL
      SELECT datname, pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()`);
    return Object.fromEntries(rows.map((row) => [row.name, row.owner]));
  });
}

describe('provisionServiceDatabase', () => {
  beforeAll(async () => {
    await ensureDatabase(databaseUrlFor(adminUrl, payment.database));
    await migrate(databaseUrlFor(adminUrl, payment.database), [CreateItems1700000000001]);
    // Twice: provisioning is idempotent, and a second run finds everything already converted.
    await provisionServiceDatabase(adminUrl, payment);
    await provisionServiceDatabase(adminUrl, payment);
    await provisionServiceDatabase(adminUrl, ledger);
  });

  afterAll(async () => {
    for (const { database } of [payment, ledger]) await dropDatabase(databaseUrlFor(adminUrl, database));
  });

  it("hands a database the superuser made, and everything in it, to the service's role", async () => {
    const owners = await ownersIn(payment.database);
    expect(Object.keys(owners)).toEqual(
      expect.arrayContaining([
        payment.database,
        'items',
        'items_id_seq',
        'items_pkey',
        'item_kinds',
        'item_kind',
        'items_refuse_delete',
        'migrations',
        'migrations_id_seq',
      ]),
    );
    expect(new Set(Object.values(owners))).toEqual(new Set([payment.database]));
  });

  it("lets the service's role run the migrations that follow, as the owner", async () => {
    const url = serviceDatabaseUrl(adminUrl, payment);
    expect(new URL(url).username).toBe(payment.database);
    expect(await migrate(url, [CreateItems1700000000001, ChangeItems1700000000002])).toEqual([
      'ChangeItems1700000000002',
    ]);
    const notes = await connected(url, (client) => client.query<{ note: string }>('SELECT note FROM items'));
    expect(notes.rows).toEqual([{ note: 'written by the owner' }]);
  });

  it('makes a login role with no power over the server and its password set', async () => {
    const roles = await connected(adminUrl, (client) =>
      client.query(
        `SELECT rolname, rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls,
                rolpassword IS NOT NULL AS has_password
         FROM pg_authid WHERE rolname = ANY($1) ORDER BY rolname`,
        [[ledger.database, payment.database]],
      ),
    );
    const powerless = {
      rolcanlogin: true,
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolreplication: false,
      rolbypassrls: false,
      has_password: true,
    };
    expect(roles.rows).toEqual([
      { rolname: ledger.database, ...powerless },
      { rolname: payment.database, ...powerless },
    ]);
  });

  it("keeps a service's role out of another service's database", async () => {
    const asPayment = serviceDatabaseUrl(adminUrl, payment);
    expect(await outcomeOf(connected(databaseUrlFor(asPayment, ledger.database), async () => 0))).toBe(
      '42501',
    );
    const asLedger = serviceDatabaseUrl(adminUrl, ledger);
    expect(await outcomeOf(connected(databaseUrlFor(asLedger, payment.database), async () => 0))).toBe(
      '42501',
    );
    // The platform still reaches both.
    expect(await outcomeOf(connected(databaseUrlFor(adminUrl, ledger.database), async () => 0))).toBe(
      'succeeded',
    );
  });

  it("refuses a service's role creating databases or roles", async () => {
    await connected(serviceDatabaseUrl(adminUrl, payment), async (client) => {
      expect(await outcomeOf(client.query(`CREATE DATABASE ${missing}`))).toBe('42501');
      expect(await outcomeOf(client.query(`CREATE ROLE ${missing}`))).toBe('42501');
    });
  });

  it('fails the start of a service whose role cannot create its missing database, naming what to run', async () => {
    const asPayment = databaseUrlFor(serviceDatabaseUrl(adminUrl, payment), missing);
    const failure = await ensureDatabase(asPayment).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DatabaseNotProvisionedError);
    expect((failure as Error).message).toContain(
      `database "${missing}" does not exist and role "${payment.database}" may not create it`,
    );
    expect((failure as Error).message).toContain('npm run infra:up');
    expect((failure as Error).message).toContain('docker compose up setup');
  });

  it('drops the role with its database', async () => {
    const extra = { database: `keel_t_roles_${run}_extra` };
    await provisionServiceDatabase(adminUrl, extra);
    await dropDatabase(databaseUrlFor(adminUrl, extra.database));
    const left = await connected(adminUrl, (client) =>
      client.query('SELECT rolname FROM pg_roles WHERE rolname = $1', [extra.database]),
    );
    expect(left.rows).toEqual([]);
  });
});
