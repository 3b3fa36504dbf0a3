import { NestFactory } from '@nestjs/core';
import type { DynamicModule } from '@nestjs/common';
import { OBSERVABILITY_LOGGER, PinoNestLogger, type Logger } from '@keel/observability';

/** The argument that makes a service's main.ts migrate its database and exit (a migration Job). */
export const MIGRATE_ONLY_ARGUMENT = '--migrate-only';

/**
 * Migrates the service's database and stops: the service's module is built — which creates its
 * database if missing and its role may, and runs its pending migrations under the advisory lock —
 * but never initialised, so nothing listens, consumes, relays or polls. For a deployment that
 * migrates in a Job (or an init container) before it rolls the service's pods.
 */
export async function migrateService(appModule: DynamicModule): Promise<void> {
  const app = await NestFactory.create(appModule, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(PinoNestLogger));
  app.get<Logger>(OBSERVABILITY_LOGGER).info('database migrated; exiting (--migrate-only)');
  await app.close();
}
