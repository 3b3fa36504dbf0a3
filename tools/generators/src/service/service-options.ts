import type { Tree } from '@nx/devkit';
import { nameFormsOf, type NameForms } from '../names';
import { localSystemPorts, SERVICE_CATALOG } from '../local-system-ports';
import { nextFreePort } from '../wiring/source-reads';

/** The options of `nx g @keel/generators:service` (schema.json). */
export interface ServiceGeneratorOptions {
  readonly name: string;
  readonly description: string;
  readonly port?: number;
  readonly database?: string;
}

export interface ServiceOptions {
  readonly names: NameForms;
  readonly description: string;
  readonly port: number;
  readonly database: string;
}

/** Validates the options and fills in the port and database. */
export function serviceOptionsOf(tree: Tree, options: ServiceGeneratorOptions): ServiceOptions {
  const names = nameFormsOf(options.name, 'service');
  if (tree.exists(`apps/${names.fileName}`)) throw new Error(`apps/${names.fileName} exists already`);
  const description = options.description.trim().replace(/\.$/, '');
  const taken = localSystemPorts(tree);
  const port = options.port ?? nextFreePort(taken);
  if (port === undefined) throw new Error(`no default ports found in ${SERVICE_CATALOG}; pass --port`);
  if (taken.includes(port)) throw new Error(`port ${port} is taken by another process of the local system`);
  return { names, description, port, database: options.database ?? `keel_${names.fileName}` };
}
