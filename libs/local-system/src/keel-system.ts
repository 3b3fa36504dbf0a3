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
import { freePort } from './free-port.util';
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
  /**
   * How many instances of a service to run, 1 by default. Extra instances get free ports, the same
   * database and consumer groups, and logs `<name>-2.log`, `<name>-3.log`, ….
   */
  instances?: Readonly<Partial<Record<SystemProcessName, number>>>;
  /** Where the executor reaches a PSP, when not straight at its simulator port (e.g. through a proxy). */
  pspUrls?: Readonly<Partial<Record<PspId, string>>>;
  /** Extra variables for every process (e.g. limits a test wants small). */
  environment?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  /** Node.js flags for every service process (profiling); none by default. */
  nodeArguments?: readonly string[];
}

/** One running instance of a process: `wallet`, `wallet-2`, …. */
export interface SystemInstance {
  readonly name: string;
  readonly url: string;
  readonly process: ServiceProcess;
}

/**
 * A whole Keel on this machine: the PSP simulator and every service as separate processes talking
 * real HTTP and Kafka, each service on its own database. Used by `npm start`, the end-to-end
 * tests and the demo.
 */
export class KeelSystem {
  private stopped = false;
  private readonly extraInstances = new Map<SystemProcessName, SystemInstance[]>();

  private constructor(
    private readonly options: KeelSystemOptions,
    private readonly processes: ReadonlyMap<SystemProcessName, ServiceProcess>,
    private readonly onUnexpectedExit?: (name: SystemProcessName, logPath: string) => void,
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
    const system = new KeelSystem(options, processes, onUnexpectedExit);
    for (const name of processes.keys()) system.startProcess(name);
    try {
      await Promise.all([
        ...names.map((name) => system.waitUntilReady(name)),
        ...names.map((name) => system.startExtraInstances(name)),
      ]);
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
    const path = name === 'psp-sim' ? '/health/live' : '/health/ready';
    await this.waitForInstance({ name, url: this.url(name), process: this.process(name) }, path);
  }

  private async waitForInstance(instance: SystemInstance, path: string): Promise<void> {
    const child = instance.process;
    await waitFor(async () => (await fetch(`${instance.url}${path}`)).status === 200, {
      giveUpIf: () =>
        child.isRunning() ? undefined : new Error(`${instance.name} exited; see ${child.logPath}`),
      timeoutMs: this.options.readyTimeoutMs ?? 120_000,
      intervalMs: 250,
      description: `${instance.name} to be ready (log ${child.logPath})`,
    });
  }

  /**
   * Starts a process that is down (stopped or killed) again, as the same child with the same
   * ports and environment, and waits until it is ready.
   */
  async restart(name: SystemProcessName): Promise<void> {
    const child = this.process(name);
    if (child.isRunning()) throw new Error(`${name} is running: stop or kill it before a restart`);
    this.startProcess(name);
    await this.waitUntilReady(name);
  }

  private startProcess(name: SystemProcessName): void {
    const child = this.process(name);
    child.start(() => {
      if (!this.stopped) this.onUnexpectedExit?.(name, child.logPath);
    });
  }

  /** Every instance of a process, the first (`process(name)`, `url(name)`) included. */
  instances(name: SystemProcessName): SystemInstance[] {
    const first = { name, url: this.url(name), process: this.process(name) };
    return [first, ...(this.extraInstances.get(name) ?? [])];
  }

  private async startExtraInstances(name: SystemProcessName): Promise<void> {
    const count = this.options.instances?.[name] ?? 1;
    if (!Number.isInteger(count) || count < 1)
      throw new Error(`instances of ${name} must be ≥ 1, got ${count}`);
    if (count > 1 && !isKeelService(name))
      throw new Error(`only Keel services run several instances, not ${name}`);
    const host = this.options.host ?? '127.0.0.1';
    const extras: SystemInstance[] = [];
    for (let ordinal = 2; ordinal <= count; ordinal += 1) {
      const port = await freePort();
      const child = new ServiceProcess(extraInstanceOptions(this.options, name, ordinal, port));
      child.start(() => {
        if (!this.stopped) this.onUnexpectedExit?.(name, child.logPath);
      });
      extras.push({ name: `${name}-${ordinal}`, url: `http://${host}:${port}`, process: child });
    }
    this.extraInstances.set(name, extras);
    await Promise.all(extras.map((extra) => this.waitForInstance(extra, '/health/ready')));
  }

  /** SIGTERM to every process, SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopped = true;
    const extras = [...this.extraInstances.values()].flat().map((extra) => extra.process);
    await Promise.all([...this.processes.values(), ...extras].map((child) => child.stop(graceMs)));
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
    nodeArguments: options.nodeArguments,
    environment: {
      ...common,
      ...(isKeelService(name) ? serviceEnvironment(options, name) : simulatorEnvironment(options, host)),
    },
  };
}

function extraInstanceOptions(
  options: KeelSystemOptions,
  name: SystemProcessName,
  ordinal: number,
  port: number,
) {
  const first = processOptions(options, name);
  return {
    ...first,
    name: `${name}-${ordinal}`,
    environment: { ...first.environment, PORT: String(port), KEEL_INSTANCE_ID: String(ordinal) },
  };
}

function serviceEnvironment(options: KeelSystemOptions, name: SystemProcessName): NodeJS.ProcessEnv {
  const database = options.databaseOf?.(name) ?? `keel_${name}`;
  const pspUrls = Object.fromEntries(
    PSP_IDS.map((psp) => [
      `PSP_${psp.toUpperCase()}_URL`,
      options.pspUrls?.[psp] ?? `http://${options.host ?? '127.0.0.1'}:${options.pspPorts[psp]}`,
    ]),
  );
  return {
    DATABASE_URL: databaseUrlFor(options.postgresUrl, database),
    KAFKA_BROKERS: options.kafkaBrokers.join(','),
    KAFKA_TOPIC_NAMESPACE: options.topicNamespace ?? '',
    // Stable across restarts of the instance (extra instances get their ordinal). With a client that
    // has static membership it names the instance in its consumer group, so a restart takes the
    // instance's partitions back at once.
    KEEL_INSTANCE_ID: '0',
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
