import type { Tree } from '@nx/devkit';
import { numbersOfObjectConstant } from './wiring/source-reads';

/** Where the local system keeps every process's default port (libs/local-system). */
export const SERVICE_CATALOG = 'libs/local-system/src/service-catalog.ts';

/** The ports the local system gives its processes and the simulator's PSPs under `npm start`. */
export function localSystemPorts(tree: Tree): number[] {
  const catalog = tree.read(SERVICE_CATALOG, 'utf-8') ?? '';
  return [
    ...numbersOfObjectConstant(catalog, 'DEFAULT_PORTS'),
    ...numbersOfObjectConstant(catalog, 'DEFAULT_PSP_PORTS'),
  ];
}
