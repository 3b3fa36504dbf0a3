import { join } from 'node:path';
import { databaseUrlFor } from '@keel/database';
import { waitFor } from '@keel/testing';
import {
  PSP_IDS,
  SYSTEM_PROCESSES,
  isKeelService,
  type PspId,
  type SystemProcessName,
} from './service-catalog';
import { ServiceProcess } from './service-process';

export interface KeelSystemOptions {
  /** Repository root: where `apps/` is. */
  root: string;
  /** Any URL of the PostgreSQL server; each service gets its own database on it. */
  postgresUrl: string;
  /** The database of a service; `keel_<service>` by default. */
  databaseOf?: (service: SystemProcessName) => string;
  kafkaBrokers: readonly string[];
  topicNamespace?: string;
  ports: Readonly<Record<SystemProcessName, number>>;
  pspPorts: Readonly<Record<PspId, number>>;
  host?: string;
  logDirectory: string;
  logLevel?: string;
  /** Which processes to run; all by default. */
  only?: readonly SystemProcessName[];
  /** Extra variables for every process (e.g. limits a test wants small). */
  environment?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
}

/**
 * A whole Keel on this machine: the PSP simulator and every service as separate processes talking
 * real HTTP and Kafka, each service on its own database. Used by `npm start`, the end-to-end
 * tests and the demo.
 */
export class KeelSystem {
  private stopped = false;

  private constructor(
    private readonly options: KeelSystemOptions,
    private readonly processes: ReadonlyMap<SystemProcessName, ServiceProcess>,
  ) {}

  static async start(
    options: KeelSystemOptions,
    onUnexpectedExit?: (name: SystemProcessName, logPath: string) => void,
  ): Promise<KeelSystem> {
    const names = SYSTEM_PROCESSES.filter(
      (name) => options.only === undefined || options.only.includes(name),
    );
    const processes = new Map(
      names.map((name) => [name, new ServiceProcess(processOptions(options, name))] as const),
    );
    const system = new KeelSystem(options, processes);
    for (const [name, child] of processes) {
      child.start(() => {
        if (!system.stopped) onUnexpectedExit?.(name, child.logPath);
      });
    }
    try {
      await Promise.all(names.map((name) => system.waitUntilReady(name)));
    } catch (error) {
      await system.stop();
      throw error;
    }
    return system;
  }

  url(name: SystemProcessName): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${this.options.ports[name]}`;
  }

  pspUrl(psp: PspId): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${this.options.pspPorts[psp]}`;
  }

  process(name: SystemProcessName): ServiceProcess {
    const child = this.processes.get(name);
    if (child === undefined) throw new Error(`${name} is not part of this system`);
    return child;
  }

  names(): SystemProcessName[] {
    return [...this.processes.keys()];
  }

  async waitUntilReady(name: SystemProcessName): Promise<void> {
    const child = this.process(name);
    const path = name === 'psp-sim' ? '/health/live' : '/health/ready';
    await waitFor(async () => (await fetch(`${this.url(name)}${path}`)).status === 200, {
      giveUpIf: () => (child.isRunning() ? undefined : new Error(`${name} exited; see ${child.logPath}`)),
      timeoutMs: this.options.readyTimeoutMs ?? 120_000,
      intervalMs: 250,
      description: `${name} to be ready (log ${child.logPath})`,
    });
  }

  /** SIGTERM to every process, SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.processes.values()].map((child) => child.stop(graceMs)));
  }
}

function processOptions(options: KeelSystemOptions, name: SystemProcessName) {
  const host = options.host ?? '127.0.0.1';
  const common: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.environment,
    HOST: host,
    PORT: String(options.ports[name]),
    LOG_LEVEL: options.logLevel ?? process.env['LOG_LEVEL'] ?? 'info',
  };
  return {
    name,
    entryPoint: join('apps', name, 'src', 'main.ts'),
    cwd: options.root,
    logDirectory: options.logDirectory,
    environment: {
      ...common,
      ...(isKeelService(name) ? serviceEnvironment(options, name) : simulatorEnvironment(options, host)),
    },
  };
}

function serviceEnvironment(options: KeelSystemOptions, name: SystemProcessName): NodeJS.ProcessEnv {
  const database = options.databaseOf?.(name) ?? `keel_${name}`;
  const pspUrls = Object.fromEntries(
    PSP_IDS.map((psp) => [
      `PSP_${psp.toUpperCase()}_URL`,
      `http://${options.host ?? '127.0.0.1'}:${options.pspPorts[psp]}`,
    ]),
  );
  return {
    DATABASE_URL: databaseUrlFor(options.postgresUrl, database),
    KAFKA_BROKERS: options.kafkaBrokers.join(','),
    KAFKA_TOPIC_NAMESPACE: options.topicNamespace ?? '',
    ...(name === 'executor' ? pspUrls : {}),
  };
}

function simulatorEnvironment(options: KeelSystemOptions, host: string): NodeJS.ProcessEnv {
  const executor = `http://${host}:${options.ports.executor}`;
  return {
    PSP_SIM_HOST: host,
    PSP_SIM_PORT: String(options.ports['psp-sim']),
    ...Object.fromEntries(
      PSP_IDS.map((psp) => [`PSP_SIM_${psp.toUpperCase()}_PORT`, String(options.pspPorts[psp])]),
    ),
    ...Object.fromEntries(
      PSP_IDS.map((psp) => [
        `PSP_SIM_WEBHOOK_URL_${psp.toUpperCase()}`,
        `${executor}/v1/psp-webhooks/${psp}`,
      ]),
    ),
  };
}
