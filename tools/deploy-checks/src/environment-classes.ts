import 'reflect-metadata';
import { globSync } from 'node:fs';
import { join } from 'node:path';
import { declaredVariablesOf, ServiceEnvironment, type EnvironmentShape } from '@keel/platform';

export const repositoryRoot = join(__dirname, '..', '..', '..');

/** The common variables' class and file: what every Keel service reads before its own. */
export const COMMON_ENVIRONMENT = {
  shape: ServiceEnvironment as EnvironmentShape,
  file: 'libs/platform/src/service-environment.ts',
};

/** One deployable's environment class, found in its app's `*.environment.ts`. */
export interface DeployableEnvironment {
  /** The app's folder name: payment, executor, …, psp-sim. */
  readonly deployable: string;
  readonly className: string;
  /** Relative to the repository root, forward slashes. */
  readonly file: string;
  readonly shape: EnvironmentShape;
  /** Extends ServiceEnvironment (every Keel service); psp-sim's does not. */
  readonly keelService: boolean;
}

/**
 * Every deployable's environment class: each class exported by `apps/<app>/src/*.environment.ts`
 * that declares variables. They are found by listing the files and loading them (not imported by
 * name), so an app added later is documented and checked without touching this tool; the tool
 * runs beside the apps, never inside them.
 */
export function deployableEnvironments(): DeployableEnvironment[] {
  const files = globSync('apps/*/src/*.environment.ts', { cwd: repositoryRoot }).sort();
  return files.flatMap((file) => {
    const deployable = file.split('/')[1] ?? file;
    const exported = require(join(repositoryRoot, file)) as Record<string, unknown>;
    return Object.entries(exported)
      .filter((entry): entry is [string, EnvironmentShape] => isEnvironmentClass(entry[1]))
      .map(([className, shape]) => ({
        deployable,
        className,
        file: file.split('\\').join('/'),
        shape,
        keelService: shape.prototype instanceof ServiceEnvironment,
      }));
  });
}

function isEnvironmentClass(value: unknown): value is EnvironmentShape {
  return (
    typeof value === 'function' &&
    /^class\s/.test(Function.prototype.toString.call(value)) &&
    declaredVariablesOf(value as EnvironmentShape).length > 0
  );
}
