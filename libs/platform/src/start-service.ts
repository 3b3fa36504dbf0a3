import type { DynamicModule } from '@nestjs/common';
import { MIGRATE_ONLY_ARGUMENT, migrateService } from './migrate-service';
import { runService } from './run-service';
import { EnvironmentError, loadEnvironment, ServiceEnvironment } from './service-environment';

/**
 * The whole of a service's main.ts: validate the environment, start, and exit non-zero with the
 * reason when either fails, so a supervisor or orchestrator sees a failed start as one. A refused
 * environment is reported by its problems alone: a stack trace would only bury them.
 */
export function startService<T extends ServiceEnvironment>(
  moduleOf: (environment: T) => DynamicModule,
  shape: new () => T,
): void {
  Promise.resolve()
    .then(async () => {
      const environment = loadEnvironment(shape);
      if (process.argv.includes(MIGRATE_ONLY_ARGUMENT)) await migrateService(moduleOf(environment));
      else await runService(moduleOf(environment), environment);
    })
    .catch((error: unknown) => {
      process.stderr.write(`failed to start: ${reasonOf(error)}\n`);
      process.exit(1);
    });
}

function reasonOf(error: unknown): string {
  if (error instanceof EnvironmentError) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
