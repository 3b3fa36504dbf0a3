import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { KEEL_PG_DRIVER } from './pg-driver';

export interface DatabaseSettings {
  url: string;
  /** Name shown in pg_stat_activity, so an operator can tell whose connection it is. */
  applicationName: string;
  poolSize: number;
  connectTimeoutMs: number;
  /** Upper bound for any single statement; a stuck query must not hold a connection forever. */
  statementTimeoutMs: number;
  /** A transaction left idle (a crashed caller) is ended by the server after this long. */
  idleInTransactionTimeoutMs: number;
}

export const DEFAULT_DATABASE_SETTINGS: Omit<DatabaseSettings, 'url' | 'applicationName'> = {
  poolSize: 10,
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 30_000,
  idleInTransactionTimeoutMs: 60_000,
};

// TypeORM's own option types for these lists are broad unions; we pass classes and schemas through.
type EntityList = MixedList<string | (abstract new (...args: never[]) => unknown) | EntitySchema>;
type MigrationList = MixedList<string | (new () => unknown)>;

export function dataSourceOptions(
  settings: DatabaseSettings,
  entities: EntityList,
  migrations: MigrationList,
): DataSourceOptions {
  return {
    type: 'postgres',
    driver: KEEL_PG_DRIVER,
    url: settings.url,
    applicationName: settings.applicationName,
    entities: entities as DataSourceOptions['entities'],
    migrations: migrations as DataSourceOptions['migrations'],
    // Schema changes only through reviewed migrations, run by runMigrationsUnderLock.
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    connectTimeoutMS: settings.connectTimeoutMs,
    extra: {
      max: settings.poolSize,
      statement_timeout: settings.statementTimeoutMs,
      idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs,
    },
  };
}

export function createDataSource(
  settings: DatabaseSettings,
  entities: EntityList = [],
  migrations: MigrationList = [],
): DataSource {
  return new DataSource(dataSourceOptions(settings, entities, migrations));
}
