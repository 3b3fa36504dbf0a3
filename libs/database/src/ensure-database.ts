import { Client } from 'pg';
import { assertDatabaseName, databaseNameOf, databaseUrlFor } from './database-url.util';

const DUPLICATE_DATABASE = '42P04';

/**
 * Creates the database named by `url` if it does not exist, connecting through the server's
 * `postgres` maintenance database. Safe to call concurrently from several processes.
 */
export async function ensureDatabase(url: string, connectTimeoutMs = 5_000): Promise<void> {
  const databaseName = databaseNameOf(url);
  assertDatabaseName(databaseName);
  const client = new Client({
    connectionString: databaseUrlFor(url, 'postgres'),
    connectionTimeoutMillis: connectTimeoutMs,
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${databaseName}"`).catch((error: unknown) => {
        if (!isPgError(error, DUPLICATE_DATABASE)) throw error;
      });
    }
  } finally {
    await client.end();
  }
}

/** Drops the database named by `url`, disconnecting its sessions first. For tests and tooling. */
export async function dropDatabase(url: string, connectTimeoutMs = 5_000): Promise<void> {
  const databaseName = databaseNameOf(url);
  assertDatabaseName(databaseName);
  const client = new Client({
    connectionString: databaseUrlFor(url, 'postgres'),
    connectionTimeoutMillis: connectTimeoutMs,
  });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

function isPgError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
