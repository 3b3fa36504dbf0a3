import { join } from 'node:path';
import { resolveEndpoints, stateDirectory, workspaceRoot } from '@keel/local-infra';
import {
  createTestDatabase,
  createTestNamespace,
  type TestDatabase,
  type TestNamespace,
} from '@keel/testing';
import { freePort } from './free-port.util';
import { KeelSystem } from './keel-system';
import {
  KEEL_SERVICES,
  PSP_IDS,
  SYSTEM_PROCESSES,
  type PspId,
  type SystemProcessName,
} from './service-catalog';

export interface IsolatedSystem {
  system: KeelSystem;
  namespace: TestNamespace;
  /** The names of the services' fresh databases. */
  databaseNames: readonly string[];
  stop(): Promise<void>;
}

export interface IsolatedSystemOptions {
  /** Names the databases (`<label>_<service>_…`) and the log directory of the run. */
  readonly label: string;
  readonly environment?: NodeJS.ProcessEnv;
  /** How many instances of each service to run (see `KeelSystemOptions.instances`). */
  readonly instances?: Readonly<Partial<Record<SystemProcessName, number>>>;
  /** Node.js flags for every process (see `KeelSystemOptions.nodeArguments`). */
  readonly nodeArguments?: readonly string[];
}

/**
 * The whole system for a run that must see nothing but its own traffic (end-to-end tests,
 * resilience drills): every process on free ports, every service on a fresh database that KeelSystem
 * gives a role of its own, every topic under a fresh namespace. `stop()` stops the processes and
 * drops what it created, each database with its role.
 */
export async function startIsolatedSystem(options: IsolatedSystemOptions): Promise<IsolatedSystem> {
  const { databaseUrl, kafkaBrokers } = resolveEndpoints();
  const namespace = await createTestNamespace();
  const databases = new Map<SystemProcessName, TestDatabase>();
  for (const service of KEEL_SERVICES) {
    databases.set(service, await createTestDatabase(`${options.label}_${service}`));
  }
  const ports = {} as Record<SystemProcessName, number>;
  for (const name of SYSTEM_PROCESSES) ports[name] = await freePort();
  const pspPorts = {} as Record<PspId, number>;
  for (const psp of PSP_IDS) pspPorts[psp] = await freePort();

  const cleanUp = async () => {
    await Promise.all([...databases.values()].map((database) => database.drop()));
    await namespace.delete();
  };
  let system: KeelSystem;
  try {
    system = await KeelSystem.start({
      root: workspaceRoot(),
      postgresUrl: databaseUrl,
      databaseOf: (service) => databases.get(service)?.name ?? `keel_${service}`,
      kafkaBrokers,
      topicNamespace: namespace.namespace,
      ports,
      pspPorts,
      logDirectory: join(stateDirectory(), 'logs', options.label, namespace.namespace),
      logLevel: 'info',
      environment: options.environment ?? {},
      instances: options.instances,
      nodeArguments: options.nodeArguments,
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  return {
    system,
    namespace,
    databaseNames: [...databases.values()].map((database) => database.name),
    stop: async () => {
      await system.stop();
      await cleanUp();
    },
  };
}
