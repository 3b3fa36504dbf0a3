import { Client } from 'pg';
import { assertDatabaseName, databaseNameOf, databaseUrlFor } from './database-url.util';

const DUPLICATE_DATABASE = '42P04';

/**
 * Creates the database named by `url` if it does not exist. Safe to call concurrently from
 * several processes.
 */
export async function ensureDatabase(url: string, connectTimeoutMs = 5_000): Promise<void> {
  await onMaintenanceDatabase(url, connectTimeoutMs, async (client, databaseName) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    if (found.rowCount !== 0) return;
    await client.query(`CREATE DATABASE "${databaseName}"`).catch((error: unknown) => {
      if (!isPgError(error, DUPLICATE_DATABASE)) throw error;
    });
  });
}

/** Drops the database named by `url`, disconnecting its sessions first. For tests and tooling. */
export async function dropDatabase(url: string, connectTimeoutMs = 5_000): Promise<void> {
  await onMaintenanceDatabase(url, connectTimeoutMs, async (client, databaseName) => {
    await client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  });
}

/** Runs `work` connected to the server's `postgres` database, since a database cannot create itself. */
async function onMaintenanceDatabase(
  url: string,
  connectTimeoutMs: number,
  work: (client: Client, databaseName: string) => Promise<void>,
): Promise<void> {
  const databaseName = databaseNameOf(url);
  assertDatabaseName(databaseName);
  const client = new Client({
    connectionString: databaseUrlFor(url, 'postgres'),
    connectionTimeoutMillis: connectTimeoutMs,
  });
  await client.connect();
  try {
    await work(client, databaseName);
  } finally {
    await client.end();
  }
}

function isPgError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
