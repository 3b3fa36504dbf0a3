import { Global, Module, type DynamicModule, type OnModuleInit, Injectable } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { HealthRegistry } from '@keel/observability';
import { dataSourceOptions, type DatabaseSettings } from '../data-source';
import { ensureDatabase } from '../ensure-database';
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

/** Registers the database in the service's readiness check. */
@Injectable()
class DatabaseReadiness implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health.register('postgres', async () => {
      await this.dataSource.query('SELECT 1');
    });
  }
}

/**
 * The service's own database through TypeORM: created if missing, migrated under an advisory lock
 * before anything uses it, never synchronized from entities.
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
            return dataSourceOptions(settings, entities, migrations);
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
