import { assertDatabaseName, databaseNameOf, databaseUrlFor } from './database-url.util';
import { isPgError, withClient } from './pg-client.util';

const DUPLICATE_DATABASE = '42P04';
const UNKNOWN_DATABASE = '3D000';
const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * A service's role may not create or reach its database: the platform has not provisioned it
 * (provisionServiceDatabase). Retrying changes nothing, so a service fails its start at once.
 */
export class DatabaseNotProvisionedError extends Error {
  override readonly name = 'DatabaseNotProvisionedError';
}

/**
 * Creates the database named by `url` if it does not exist, when the URL's role may create
 * databases; a role that may not (a service's own role) answers DatabaseNotProvisionedError naming
 * what provisions it. Safe to call concurrently from several processes.
 */
export async function ensureDatabase(url: string, connectTimeoutMs = 5_000): Promise<void> {
  const databaseName = databaseNameOf(url);
  assertDatabaseName(databaseName);
  const role = decodeURIComponent(new URL(url).username) || 'the connecting role';
  try {
    // Its own database first: a role that owns only that one need not reach any other.
    await withClient(url, connectTimeoutMs, async () => undefined);
    return;
  } catch (error) {
    if (isPgError(error, INSUFFICIENT_PRIVILEGE))
      throw notProvisioned(`role "${role}" may not connect to database "${databaseName}"`);
    if (!isPgError(error, UNKNOWN_DATABASE)) throw error;
  }
  await withClient(databaseUrlFor(url, 'postgres'), connectTimeoutMs, async (client) => {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(databaseName)}`);
  }).catch((error: unknown) => {
    if (isPgError(error, DUPLICATE_DATABASE)) return;
    if (isPgError(error, INSUFFICIENT_PRIVILEGE))
      throw notProvisioned(`database "${databaseName}" does not exist and role "${role}" may not create it`);
    throw error;
  });
}

/**
 * Drops the database named by `url`, disconnecting its sessions first, and the role
 * provisionServiceDatabase made for it. For tests and tooling.
 */
export async function dropDatabase(url: string, connectTimeoutMs = 5_000): Promise<void> {
  const databaseName = databaseNameOf(url);
  assertDatabaseName(databaseName);
  await withClient(databaseUrlFor(url, 'postgres'), connectTimeoutMs, async (client) => {
    const name = client.escapeIdentifier(databaseName);
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    // A service's role is named like its database and owned nothing else; an administrator's
    // role of the same name is never one.
    const serviceRole = await client.query(
      'SELECT 1 FROM pg_roles WHERE rolname = $1 AND NOT rolsuper AND NOT rolcreaterole AND NOT rolcreatedb',
      [databaseName],
    );
    if (serviceRole.rowCount !== 0) await client.query(`DROP ROLE IF EXISTS ${name}`);
  });
}

function notProvisioned(reason: string): DatabaseNotProvisionedError {
  return new DatabaseNotProvisionedError(
    `${reason}: the platform provisions each service's database ` +
      'and role before the service starts — run `npm run infra:up` on a developer machine, the ' +
      "compose file's setup job (`docker compose up setup`), or your deployment's provisioning " +
      '(docs/security.md, "Database roles")',
  );
}
