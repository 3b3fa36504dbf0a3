import { join } from 'node:path';
import { stateDirectory, resolveEndpoints, workspaceRoot } from '@keel/local-infra';
import {
  freePort,
  KeelSystem,
  PSP_IDS,
  SYSTEM_PROCESSES,
  type PspId,
  type SystemProcessName,
} from '@keel/local-system';
import type { Route } from '@keel/ops-domain';
import { createTestDatabase, type TestDatabase, type TestNamespace } from '@keel/testing';

/**
 * A real executor, a process of its own from source on a fresh database, for ops to read and
 * write the routing table of (on the topic namespace of the ops under test). No PSP is behind its
 * connectors: ops' specs play the attempts themselves, so nothing is ever charged.
 */
export class OpsExecutor {
  private constructor(
    private readonly system: KeelSystem,
    private readonly database: TestDatabase,
  ) {}

  /** The ports the executor will listen on, chosen first: ops is started with its URL. */
  static async ports(): Promise<Record<SystemProcessName, number>> {
    const ports = {} as Record<SystemProcessName, number>;
    for (const name of SYSTEM_PROCESSES) ports[name] = await freePort();
    return ports;
  }

  static async start(
    namespace: TestNamespace,
    ports: Record<SystemProcessName, number>,
  ): Promise<OpsExecutor> {
    const database = await createTestDatabase('ops_executor');
    const pspPorts = {} as Record<PspId, number>;
    for (const psp of PSP_IDS) pspPorts[psp] = await freePort();
    try {
      const system = await KeelSystem.start({
        root: workspaceRoot(),
        postgresUrl: resolveEndpoints().databaseUrl,
        databaseOf: () => database.name,
        kafkaBrokers: namespace.brokers,
        topicNamespace: namespace.namespace,
        ports,
        pspPorts,
        logDirectory: join(stateDirectory(), 'logs', 'ops', namespace.namespace),
        logLevel: 'warn',
        only: ['executor'],
        environment: { SHUTDOWN_DRAIN_DELAY_MS: '0' },
      });
      return new OpsExecutor(system, database);
    } catch (error) {
      await database.drop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.system.stop();
    await this.database.drop();
  }

  async routes(): Promise<Route[]> {
    const response = await fetch(`${this.system.url('executor')}/v1/routes`, {
      headers: { authorization: this.system.operatorAuthorization('viewer') },
    });
    if (response.status !== 200) throw new Error(`GET /v1/routes answered ${response.status}`);
    return ((await response.json()) as { routes: Route[] }).routes;
  }

  async replaceRoutes(routes: readonly Omit<Route, 'enabled'>[]): Promise<void> {
    const response = await fetch(`${this.system.url('executor')}/v1/routes`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        authorization: this.system.operatorAuthorization('operator'),
      },
      body: JSON.stringify({ routes: routes.map((route) => ({ ...route, enabled: true })) }),
    });
    if (response.status !== 200) throw new Error(`PUT /v1/routes answered ${response.status}`);
  }
}
