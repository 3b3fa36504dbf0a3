import type { Client } from 'pg';
import { assertDatabaseName, databaseUrlFor } from './database-url.util';
import { isPgError, withClient } from './pg-client.util';

/** Arbitrary but fixed: provisioning runs one at a time on a server, whoever runs it. */
const PROVISIONING_LOCK_KEY = 7_357_002;
const DUPLICATE_ROLE = '42710';

export interface ServiceDatabase {
  /** The database, and the name of the login role that owns it. */
  readonly database: string;
  /** The role's password; a role provisioned without one keeps the password it has (or none). */
  readonly password?: string;
}

/**
 * Makes `database` a service's own, as the platform does before the service starts: a login role
 * named like the database, with no superuser, CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS; the
 * database, created if missing, owned by that role with every schema, table, sequence, view,
 * routine and type in it (so a database an earlier run created as the superuser is converted and
 * its migrations still run as the owner); and no privilege on it for PUBLIC, so no other service's
 * role can even connect to it. `adminUrl` is a role that may create roles and databases (the
 * superuser locally). Idempotent, and safe to run from several processes at once.
 */
export async function provisionServiceDatabase(
  adminUrl: string,
  { database, password }: ServiceDatabase,
  connectTimeoutMs = 5_000,
): Promise<void> {
  assertDatabaseName(database);
  await withClient(databaseUrlFor(adminUrl, 'postgres'), connectTimeoutMs, async (server) => {
    await server.query('SELECT pg_advisory_lock($1)', [PROVISIONING_LOCK_KEY]);
    try {
      await provisionRoleAndDatabase(server, database, password);
    } finally {
      await server.query('SELECT pg_advisory_unlock($1)', [PROVISIONING_LOCK_KEY]);
    }
  });
  await withClient(databaseUrlFor(adminUrl, database), connectTimeoutMs, (owned) =>
    handOverObjects(owned, database),
  );
}

/**
 * `adminUrl` pointing at the service's database as the service's own role: the DATABASE_URL a
 * service provisioned by provisionServiceDatabase connects with.
 */
export function serviceDatabaseUrl(adminUrl: string, { database, password }: ServiceDatabase): string {
  const url = new URL(databaseUrlFor(adminUrl, database));
  url.username = database;
  url.password = password === undefined ? '' : encodeURIComponent(password);
  return url.toString();
}

async function provisionRoleAndDatabase(
  server: Client,
  database: string,
  password: string | undefined,
): Promise<void> {
  const role = server.escapeIdentifier(database);
  await server.query(`CREATE ROLE ${role}`).catch((error: unknown) => {
    if (!isPgError(error, DUPLICATE_ROLE)) throw error;
  });
  const passwordClause = password === undefined ? '' : ` PASSWORD ${server.escapeLiteral(password)}`;
  await server.query(
    `ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS${passwordClause}`,
  );
  const found = await server.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (found.rowCount === 0) await server.query(`CREATE DATABASE ${role} OWNER ${role}`);
  else await server.query(`ALTER DATABASE ${role} OWNER TO ${role}`);
  await server.query(`REVOKE ALL ON DATABASE ${role} FROM PUBLIC`);
}

/**
 * Gives the role every object in its database that another role owns. Indexes, triggers and the
 * sequences behind identity and serial columns follow their table; what an extension owns stays.
 */
async function handOverObjects(owned: Client, role: string): Promise<void> {
  const { rows } = await owned.query<{ statement: string }>(OWNERSHIP_STATEMENTS, [role]);
  for (const { statement } of rows) await owned.query(statement);
}

const OWNERSHIP_STATEMENTS = `
  WITH owner AS (SELECT oid FROM pg_roles WHERE rolname = $1),
  schemas AS (
    SELECT n.oid, n.nspname, n.nspowner FROM pg_namespace n
    WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
  ),
  foreign_objects AS (
    SELECT 'SCHEMA' AS kind, quote_ident(s.nspname) AS name, s.nspowner AS owner_oid,
           'pg_namespace'::regclass AS catalog, s.oid AS object_oid
    FROM schemas s WHERE s.nspowner <> 'pg_database_owner'::regrole
    UNION ALL
    SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                          WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
           c.oid::regclass::text, c.relowner, 'pg_class'::regclass, c.oid
    FROM pg_class c JOIN schemas s ON s.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND NOT EXISTS (
        SELECT 1 FROM pg_depend d
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')
          AND d.refclassid = 'pg_class'::regclass
      )
    UNION ALL
    SELECT 'ROUTINE', p.oid::regprocedure::text, p.proowner, 'pg_proc'::regclass, p.oid
    FROM pg_proc p JOIN schemas s ON s.oid = p.pronamespace
    WHERE p.prokind IN ('f', 'p')
    UNION ALL
    SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
           format_type(t.oid, NULL), t.typowner, 'pg_type'::regclass, t.oid
    FROM pg_type t JOIN schemas s ON s.oid = t.typnamespace
    WHERE t.typtype IN ('e', 'd', 'r')
       OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
  )
  SELECT format('ALTER %s %s OWNER TO %I', o.kind, o.name, $1) AS statement
  FROM foreign_objects o, owner
  WHERE o.owner_oid <> owner.oid
    AND NOT EXISTS (
      SELECT 1 FROM pg_depend e
      WHERE e.classid = o.catalog AND e.objid = o.object_oid AND e.deptype = 'e'
    )
  ORDER BY o.kind = 'SCHEMA' DESC
`;
