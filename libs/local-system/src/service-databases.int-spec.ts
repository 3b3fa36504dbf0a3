import { Client } from 'pg';
import { resolveEndpoints } from '@keel/local-infra';
import { createTestDatabase, type TestDatabase } from '@keel/testing';
import { provisionServiceDatabases } from './service-databases';

async function whoAmI(url: string): Promise<{ role: string; superuser: boolean; database: string }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ role: string; superuser: boolean; database: string }>(
      `SELECT current_user AS role, rolsuper AS superuser, current_database() AS database
       FROM pg_roles WHERE rolname = current_user`,
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

describe('provisionServiceDatabases', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  it('gives each Keel service a DATABASE_URL as its own role, and the simulator none', async () => {
    const wallet = await createTestDatabase('roles_wallet');
    const ledger = await createTestDatabase('roles_ledger');
    databases.push(wallet, ledger);
    const byService: Record<string, string> = { wallet: wallet.name, ledger: ledger.name };

    const urls = await provisionServiceDatabases(
      resolveEndpoints().databaseUrl,
      (service) => byService[service] ?? 'postgres',
      ['psp-sim', 'wallet', 'ledger'],
    );

    expect([...urls.keys()].sort()).toEqual(['ledger', 'wallet']);
    expect(await whoAmI(urls.get('wallet') ?? '')).toEqual({
      role: wallet.name,
      superuser: false,
      database: wallet.name,
    });
    expect(await whoAmI(urls.get('ledger') ?? '')).toEqual({
      role: ledger.name,
      superuser: false,
      database: ledger.name,
    });
  });

  it('gives services that share a database its one role and password', async () => {
    const shared = await createTestDatabase('roles_shared');
    databases.push(shared);
    const urls = await provisionServiceDatabases(resolveEndpoints().databaseUrl, () => shared.name, [
      'payment',
      'executor',
    ]);
    expect(urls.get('payment')).toBe(urls.get('executor'));
    expect((await whoAmI(urls.get('executor') ?? '')).role).toBe(shared.name);
  });
});
