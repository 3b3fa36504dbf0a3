import type { DynamicModule } from '@nestjs/common';
import { runService } from './run-service';
import { loadEnvironment, ServiceEnvironment } from './service-environment';

/**
 * The whole of a service's main.ts: validate the environment, start, and exit non-zero with the
 * reason when either fails, so a supervisor or orchestrator sees a failed start as one.
 */
export function startService<T extends ServiceEnvironment>(
  moduleOf: (environment: T) => DynamicModule,
  shape: new () => T,
): void {
  Promise.resolve()
    .then(() => {
      const environment = loadEnvironment(shape);
      return runService(moduleOf(environment), environment);
    })
    .catch((error: unknown) => {
      process.stderr.write(
        `failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    });
}
