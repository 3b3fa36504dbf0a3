import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, type Pool } from 'pg';
import { resolveEndpoints } from '@keel/local-infra';
import { createDataSource, DEFAULT_DATABASE_SETTINGS } from './data-source';
import { DatabaseProbe } from './database-probe';

const applicationName = `keel-probe-test-${randomBytes(4).toString('hex')}`;
let admin: Client;

async function probeBackends(): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [applicationName],
  );
  return rows.map((row) => row.pid);
}

/** Ends a backend as an administrator would, and waits until the server has let it go. */
async function terminate(pid: number): Promise<void> {
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  for (let poll = 0; poll < 50; poll += 1) {
    const { rows } = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
    if (rows.length === 0) return;
    await delay(20);
  }
  throw new Error(`backend ${pid} was not terminated`);
}

beforeAll(async () => {
  admin = new Client({ connectionString: resolveEndpoints().databaseUrl });
  await admin.connect();
});

afterAll(async () => {
  await admin.end();
});

describe('a pooled connection the server ends while it is held', () => {
  it('fails the next query on it without ending the process, and the pool goes on', async () => {
    const dataSource = createDataSource({
      ...DEFAULT_DATABASE_SETTINGS,
      url: resolveEndpoints().databaseUrl,
      applicationName: `${applicationName}-pool`,
    });
    await dataSource.initialize();
    try {
      const held = dataSource.createQueryRunner();
      await held.connect();
      const [{ pid }] = (await held.query('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
      // Idle between queries, as the outbox relay's session or a transaction awaiting Kafka is.
      await terminate(pid);
      await delay(100);

      await expect(held.query('SELECT 1')).rejects.toThrow();
      await held.release();
      await expect(dataSource.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('ends no process when nobody listens on the connection the server ended', async () => {
    const dataSource = createDataSource({
      ...DEFAULT_DATABASE_SETTINGS,
      url: resolveEndpoints().databaseUrl,
      applicationName: `${applicationName}-raw`,
    });
    await dataSource.initialize();
    try {
      // Checked out from the pool as is, with no listener of the caller's: without one of the
      // pool's own, the server's FATAL message would be an unhandled 'error' event.
      const pool = (dataSource.driver as unknown as { master: Pool }).master;
      const client = await pool.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await terminate(rows[0]?.pid ?? 0);
      await delay(100);

      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release();
      await expect(dataSource.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe('DatabaseProbe on the real PostgreSQL', () => {
  it('pings on one connection of its own, replaces it after the server ends it, and closes it', async () => {
    const probe = new DatabaseProbe({
      connectionString: resolveEndpoints().databaseUrl,
      application_name: applicationName,
      connectionTimeoutMillis: 5_000,
    });
    await probe.ping();
    await probe.ping();
    const [first, ...others] = await probeBackends();
    expect(first).toBeDefined();
    expect(others).toEqual([]);

    await terminate(first ?? 0);
    // The ping on the ended connection fails (or finds it already dropped); the next one reconnects.
    await probe.ping().catch(() => undefined);
    await probe.ping();
    const replaced = await probeBackends();
    expect(replaced).toHaveLength(1);
    expect(replaced[0]).not.toBe(first);

    await probe.close();
    // The server removes an ended backend from pg_stat_activity a moment after the client left.
    let left = await probeBackends();
    for (let poll = 0; left.length > 0 && poll < 50; poll += 1) {
      await delay(20);
      left = await probeBackends();
    }
    expect(left).toEqual([]);
  });
});
