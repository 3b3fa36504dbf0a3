import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { workspaceRoot } from '@keel/local-infra';
import { createTestDatabase, type TestDatabase } from '@keel/testing';

jest.setTimeout(60_000);

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('ops_migrate_only');
});

afterAll(async () => {
  await database?.drop();
});

/** Runs the service's main.ts as a migration Job would, with no broker to reach. */
function migrateOnly(): Promise<{ code: number | null; output: string }> {
  const root = workspaceRoot();
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(root, 'apps/ops/src/main.ts'), '--migrate-only'],
    {
      cwd: root,
      env: {
        ...process.env,
        KEEL_PROFILE: 'local',
        PORT: '0',
        DATABASE_URL: database.url,
        KAFKA_BROKERS: '127.0.0.1:1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe('a service started with --migrate-only (a migration Job)', () => {
  it('migrates its database and exits 0 without listening or reaching Kafka', async () => {
    const { code, output } = await migrateOnly();

    expect({ code, migrated: output.includes('database migrated; exiting (--migrate-only)') }).toEqual({
      code: 0,
      migrated: true,
    });
    expect(output).not.toContain('service listening');
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ tablename: string }>(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
      );
      expect(rows.map((row) => row.tablename)).toEqual(
        expect.arrayContaining(['inbox', 'migrations', 'outbox']),
      );
    } finally {
      await client.end();
    }
  });
});
