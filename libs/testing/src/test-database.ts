import { randomBytes } from 'node:crypto';
import { databaseUrlFor, dropDatabase, ensureDatabase } from '@keel/database';
import { resolveEndpoints } from '@keel/local-infra';

export interface TestDatabase {
  name: string;
  url: string;
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
  return { name, url, drop: () => dropDatabase(url) };
}
