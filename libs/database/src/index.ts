export * from './data-source';
export * from './database-url.util';
export * from './ensure-database';
export * from './migrate';
export * from './prepared-statement';
export * from './transient-error.util';
export * from './nest/database.module';
export * from './service-database';
