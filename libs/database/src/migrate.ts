import type { DataSource } from 'typeorm';

/** Arbitrary but fixed: every Keel service takes this advisory lock in its own database. */
const MIGRATION_LOCK_KEY = 7_357_001;

/**
 * Runs pending migrations while holding a session advisory lock, so that several instances of a
 * service starting together migrate once and the others wait, then find nothing to do.
 * Returns the names of the migrations this call applied.
 */
export async function runMigrationsUnderLock(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
