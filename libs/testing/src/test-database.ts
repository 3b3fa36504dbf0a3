import { randomBytes } from 'node:crypto';
import { DataSource, type MigrationInterface } from 'typeorm';
import { databaseUrlFor, dropDatabase, ensureDatabase } from '@keel/database';
import { resolveEndpoints } from '@keel/local-infra';

export interface TestDatabase {
  name: string;
  url: string;
  /**
   * Runs `migrations` on this database, as a service does, and answers the open data source (the
   * caller destroys it): a migration's test brings the schema up to just before the migration,
   * writes old rows, then runs the rest.
   */
  migrate(migrations: readonly (new () => MigrationInterface)[]): Promise<DataSource>;
  drop(): Promise<void>;
}

/** A new, empty database on the real server, named for the test, dropped by `drop()`. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const { databaseUrl } = resolveEndpoints();
  const safeLabel = label
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 30);
  const name = `keel_t_${safeLabel}_${randomBytes(4).toString('hex')}`;
  const url = databaseUrlFor(databaseUrl, name);
  await ensureDatabase(url);
  return {
    name,
    url,
    migrate: async (migrations) => {
      const dataSource = new DataSource({ type: 'postgres', url, migrations: [...migrations] });
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
      return dataSource;
    },
    drop: () => dropDatabase(url),
  };
}
