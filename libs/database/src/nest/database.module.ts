import {
  Global,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { HealthRegistry } from '@keel/observability';
import { dataSourceOptions, type DatabaseSettings } from '../data-source';
import { DatabaseProbe } from '../database-probe';
import { DatabaseNotProvisionedError, ensureDatabase } from '../ensure-database';
import { runMigrationsUnderLock } from '../migrate';

export interface DatabaseModuleOptions {
  settings: DatabaseSettings;
  entities: Parameters<typeof dataSourceOptions>[1];
  migrations: Parameters<typeof dataSourceOptions>[2];
}

export interface DatabaseModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[];
  useFactory: (...args: never[]) => DatabaseModuleOptions | Promise<DatabaseModuleOptions>;
}

/** Registers the database in the service's readiness check, pinged on a connection of its own. */
@Injectable()
class DatabaseReadiness implements OnModuleInit, OnApplicationShutdown {
  private readonly probe: DatabaseProbe;

  constructor(
    dataSource: DataSource,
    private readonly health: HealthRegistry,
  ) {
    const options = dataSource.options as PostgresConnectionOptions;
    this.probe = new DatabaseProbe({
      connectionString: options.url,
      application_name: `${options.applicationName ?? 'keel'}-readiness`,
      connectionTimeoutMillis: options.connectTimeoutMS,
    });
  }

  onModuleInit(): void {
    this.health.register('postgres', () => this.probe.ping());
  }

  onApplicationShutdown(): Promise<void> {
    return this.probe.close();
  }
}

/**
 * The service's own database through TypeORM: created if missing and the service's role may
 * (otherwise the start fails naming what provisions it), migrated under an advisory lock before
 * anything uses it, never synchronized from entities.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRootAsync(options: DatabaseModuleAsyncOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          imports: options.imports ?? [],
          inject: options.inject ?? [],
          useFactory: async (...args: unknown[]) => {
            const { settings, entities, migrations } = await options.useFactory(...(args as never[]));
            return {
              ...dataSourceOptions(settings, entities, migrations),
              // A database the platform has not provisioned stays so: fail the start at once.
              toRetry: (error: unknown) => !(error instanceof DatabaseNotProvisionedError),
            };
          },
          dataSourceFactory: async (typeOrmOptions?: DataSourceOptions) => {
            if (typeOrmOptions === undefined) throw new Error('DatabaseModule needs data source options');
            await ensureDatabase((typeOrmOptions as { url: string }).url);
            const dataSource = await new DataSource(typeOrmOptions).initialize();
            await runMigrationsUnderLock(dataSource);
            return dataSource;
          },
        }),
      ],
      providers: [DatabaseReadiness],
      exports: [TypeOrmModule],
    };
  }
}
