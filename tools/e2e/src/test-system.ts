import { join } from 'node:path';
import { resolveEndpoints, stateDirectory, workspaceRoot } from '@keel/local-infra';
import {
  freePort,
  KEEL_SERVICES,
  KeelSystem,
  PSP_IDS,
  SYSTEM_PROCESSES,
  type PspId,
  type SystemProcessName,
} from '@keel/local-system';
import {
  createTestDatabase,
  createTestNamespace,
  type TestDatabase,
  type TestNamespace,
} from '@keel/testing';

export interface TestSystem {
  system: KeelSystem;
  namespace: TestNamespace;
  stop(): Promise<void>;
}

/**
 * The whole system for an end-to-end test: every process on free ports, every service on a fresh
 * database, every topic under a fresh namespace, so the run sees nothing but its own traffic.
 */
export async function startTestSystem(environment: NodeJS.ProcessEnv = {}): Promise<TestSystem> {
  const { databaseUrl, kafkaBrokers } = resolveEndpoints();
  const namespace = await createTestNamespace();
  const databases = new Map<SystemProcessName, TestDatabase>();
  for (const service of KEEL_SERVICES) databases.set(service, await createTestDatabase(`e2e_${service}`));
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
      logDirectory: join(stateDirectory(), 'logs', 'e2e', namespace.namespace),
      logLevel: 'info',
      environment,
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  return {
    system,
    namespace,
    stop: async () => {
      await system.stop();
      await cleanUp();
    },
  };
}
