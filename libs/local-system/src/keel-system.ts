import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_API_KEY_HASH_SECRET } from '@keel/api-keys';
import type { OperatorRole } from '@keel/operator-auth';
import { databaseUrlFor } from '@keel/database';
import { waitFor } from '@keel/testing';
import {
  KEEL_SERVICES,
  PSP_IDS,
  SYSTEM_PROCESSES,
  isKeelService,
  type PspId,
  type SystemProcessName,
} from './service-catalog';
import { ApiKeyStore, MerchantKeys } from './api-key-store';
import { operatorAuthorizationFor } from './operator-tokens';
import { freePort } from './free-port.util';
import { ReadyBalancer, type ReadinessCheckSettings } from './ready-balancer';
import { provisionServiceDatabases } from './service-databases';
import { ServiceProcess } from './service-process';

export interface KeelSystemOptions {
  /** Repository root: where `apps/` is. */
  root: string;
  /**
   * A URL of the PostgreSQL server as a role that may create roles and databases (the superuser
   * locally): the system provisions each service's database on it with a role of its own, and each
   * service connects as that role.
   */
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
   * database and consumer groups, and logs `<name>-2.log`, `<name>-3.log`, …. Several payment
   * instances sit behind a readiness-aware balancer on payment's port (see BALANCED_SERVICES).
   */
  instances?: Readonly<Partial<Record<SystemProcessName, number>>>;
  /** Where the executor reaches a PSP, when not straight at its simulator port (e.g. through a proxy). */
  pspUrls?: Readonly<Partial<Record<PspId, string>>>;
  /**
   * Extra variables for every process (e.g. limits a test wants small). Every process runs with
   * KEEL_PROFILE=local (a secret not given takes the simulator's value) unless these say otherwise.
   */
  environment?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  /** How a balancer checks its instances' readiness; DEFAULT_READINESS_CHECK (every 250 ms) by default. */
  readinessCheck?: ReadinessCheckSettings;
  /** Node.js flags for every service process (profiling); none by default. */
  nodeArguments?: readonly string[];
  /**
   * The file a process starts from, relative to `root`, in place of `apps/<name>/src/main.ts`: a
   * test build of it (the chaos suite's planted bug). None by default.
   */
  entryPoints?: Readonly<Partial<Record<SystemProcessName, string>>>;
}

/** One instance of a process: `wallet` (the first), `wallet-2`, …, each on its own port. */
/**
 * Hears of a process that exited without being asked to: `afterReady` says whether it had been
 * ready since it last started (a crash) or exited while starting (a failed start, which a
 * supervisor retries).
 */
export type UnexpectedExitListener = (name: SystemProcessName, logPath: string, afterReady: boolean) => void;

export interface SystemInstance {
  readonly name: string;
  /** The process it is an instance of. */
  readonly service: SystemProcessName;
  readonly url: string;
  readonly process: ServiceProcess;
}

/**
 * The services clients call through one address, as merchants call the payment API: with several
 * instances, a readiness-aware balancer listens on the service's port and each instance on a port of
 * its own, as pods behind a Kubernetes Service. Other services keep their first instance on their
 * port (the simulator's webhooks go to it; the bench reads every instance at its own URL).
 */
const BALANCED_SERVICES: ReadonlySet<SystemProcessName> = new Set(['payment']);

/**
 * A whole Keel on this machine: the PSP simulator and every service as separate processes talking
 * real HTTP and Kafka, each service on its own database. Used by `npm start`, the end-to-end
 * tests, the drills and the bench.
 */
export class KeelSystem {
  private stopped = false;
  private merchantKeys: MerchantKeys | undefined;
  /** Instances seen ready since they last started. */
  private readonly readySinceStart = new WeakSet<SystemInstance>();
  private readonly balancers = new Map<
    SystemProcessName,
    { readonly balancer: ReadyBalancer; readonly log: WriteStream }
  >();

  private constructor(
    private readonly options: KeelSystemOptions,
    private readonly instancesByName: ReadonlyMap<SystemProcessName, readonly SystemInstance[]>,
    private readonly onUnexpectedExit?: UnexpectedExitListener,
  ) {}

  static async start(
    options: KeelSystemOptions,
    onUnexpectedExit?: UnexpectedExitListener,
  ): Promise<KeelSystem> {
    const names = SYSTEM_PROCESSES.filter(
      (name) => options.only === undefined || options.only.includes(name),
    );
    const databaseUrls = await provisionServiceDatabases(
      options.postgresUrl,
      (service) => databaseOf(options, service),
      names,
    );
    const instancesByName = new Map<SystemProcessName, SystemInstance[]>();
    for (const name of names) instancesByName.set(name, await createInstances(options, databaseUrls, name));
    const system = new KeelSystem(options, instancesByName, onUnexpectedExit);
    const all = [...instancesByName.values()].flat();
    for (const instance of all) system.startInstance(instance);
    try {
      await Promise.all(all.map((instance) => system.waitUntilInstanceReady(instance)));
      for (const name of names) await system.startBalancer(name);
    } catch (error) {
      await system.stop();
      throw error;
    }
    return system;
  }

  /** Where clients reach the process: its balancer when it has one, else its first instance. */
  url(name: SystemProcessName): string {
    return `http://${this.host()}:${this.options.ports[name]}`;
  }

  /**
   * Merchants' API keys in this system's payment database, hashed with the secret its payment
   * service runs with (the local one unless the environment sets API_KEY_HASH_SECRET).
   */
  apiKeyStore(): ApiKeyStore {
    const environment = commonEnvironment(this.options);
    return new ApiKeyStore(
      databaseUrlFor(this.options.postgresUrl, this.options.databaseOf?.('payment') ?? 'keel_payment'),
      environment['API_KEY_HASH_SECRET'] ?? LOCAL_API_KEY_HASH_SECRET,
    );
  }

  /** A test key per merchant, made on first use: what clients of this system authenticate with. */
  keys(): MerchantKeys {
    this.merchantKeys ??= new MerchantKeys(this.apiKeyStore());
    return this.merchantKeys;
  }

  /** `Authorization` of an operator of `role`, for the internal endpoints (/metrics, routes, reads, admin). */
  operatorAuthorization(role: OperatorRole = 'viewer'): string {
    return operatorAuthorizationFor(commonEnvironment(this.options), role);
  }

  pspUrl(psp: PspId): string {
    return `http://${this.host()}:${this.options.pspPorts[psp]}`;
  }

  /** The first instance's process. */
  process(name: SystemProcessName): ServiceProcess {
    return this.firstInstance(name).process;
  }

  names(): SystemProcessName[] {
    return [...this.instancesByName.keys()];
  }

  /** Every instance of a process, the first (`process(name)`) included. */
  instances(name: SystemProcessName): SystemInstance[] {
    const instances = this.instancesByName.get(name);
    if (instances === undefined) throw new Error(`${name} is not part of this system`);
    return [...instances];
  }

  /** Waits until the first instance is ready. */
  async waitUntilReady(name: SystemProcessName): Promise<void> {
    await this.waitUntilInstanceReady(this.firstInstance(name));
  }

  /** Waits until the instance answers its readiness path (`/health/live` for the simulator) with 200. */
  async waitUntilInstanceReady(instance: SystemInstance): Promise<void> {
    const child = instance.process;
    const path = instance.service === 'psp-sim' ? '/health/live' : '/health/ready';
    await waitFor(async () => (await fetch(`${instance.url}${path}`)).status === 200, {
      giveUpIf: () =>
        child.isRunning() ? undefined : new Error(`${instance.name} exited; see ${child.logPath}`),
      timeoutMs: this.options.readyTimeoutMs ?? 120_000,
      intervalMs: 250,
      description: `${instance.name} to be ready (log ${child.logPath})`,
    });
    this.readySinceStart.add(instance);
  }

  /** Starts the first instance again once it is down; see restartInstance. */
  async restart(name: SystemProcessName): Promise<void> {
    await this.restartInstance(this.firstInstance(name));
  }

  /**
   * Starts an instance that is down (stopped or killed) again, as the same child with the same port
   * and environment, and waits until it is ready and, behind a balancer, until the balancer routes
   * to it: a rolling restart that stopped the next instance as soon as this one answered ready
   * would leave the balancer, until its next check, with no ready instance. A stopped system starts
   * nothing again: a restart racing stop() would leave a process behind.
   */
  async restartInstance(instance: SystemInstance): Promise<void> {
    if (this.stopped) throw new Error(`${instance.name} is not started again: the system is stopped`);
    if (instance.process.isRunning())
      throw new Error(`${instance.name} is running: stop or kill it before a restart`);
    this.startInstance(instance);
    await this.waitUntilInstanceReady(instance);
    await this.waitUntilRouted(instance);
  }

  private async waitUntilRouted(instance: SystemInstance): Promise<void> {
    const balancer = this.balancers.get(instance.service)?.balancer;
    if (balancer === undefined) return;
    await waitFor(() => balancer.readyBackends().includes(instance.name), {
      timeoutMs: this.options.readyTimeoutMs ?? 120_000,
      intervalMs: 20,
      description: `the ${instance.service} balancer to route to ${instance.name}`,
    });
  }

  /** SIGTERM to every process, SIGKILL after `graceMs`; the balancers close last. */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopped = true;
    const all = [...this.instancesByName.values()].flat();
    await Promise.all(all.map((instance) => instance.process.stop(graceMs)));
    await Promise.all(
      [...this.balancers.values()].map(async ({ balancer, log }) => {
        await balancer.stop();
        log.end();
      }),
    );
  }

  private host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  private firstInstance(name: SystemProcessName): SystemInstance {
    const first = this.instancesByName.get(name)?.[0];
    if (first === undefined) throw new Error(`${name} is not part of this system`);
    return first;
  }

  private startInstance(instance: SystemInstance): void {
    this.readySinceStart.delete(instance);
    instance.process.start(() => {
      if (!this.stopped && !instance.process.stopRequested)
        this.onUnexpectedExit?.(
          instance.service,
          instance.process.logPath,
          this.readySinceStart.has(instance),
        );
    });
  }

  private async startBalancer(name: SystemProcessName): Promise<void> {
    const instances = this.instances(name);
    if (!isBalanced(name, instances.length)) return;
    const log = createWriteStream(join(this.options.logDirectory, `${name}-balancer.log`), { flags: 'a' });
    const balancer = await ReadyBalancer.start({
      host: this.host(),
      port: this.options.ports[name],
      backends: instances.map((instance) => ({
        name: instance.name,
        host: this.host(),
        port: Number(new URL(instance.url).port),
      })),
      check: this.options.readinessCheck,
      onReadinessChange: (backend, ready) =>
        log.write(`${new Date().toISOString()} ${backend} ${ready ? 'ready' : 'not ready'}\n`),
    }).catch((error: unknown) => {
      log.end();
      throw error;
    });
    this.balancers.set(name, { balancer, log });
  }
}

const isBalanced = (name: SystemProcessName, count: number): boolean =>
  count > 1 && BALANCED_SERVICES.has(name);

/**
 * The instances of a process, not started: the first on the process's port (unless a balancer
 * takes that port), the others on free ports, `KEEL_INSTANCE_ID` 0, 2, 3, ….
 */
async function createInstances(
  options: KeelSystemOptions,
  databaseUrls: DatabaseUrls,
  name: SystemProcessName,
): Promise<SystemInstance[]> {
  const count = options.instances?.[name] ?? 1;
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`instances of ${name} must be ≥ 1, got ${count}`);
  if (count > 1 && !isKeelService(name))
    throw new Error(`only Keel services run several instances, not ${name}`);
  const host = options.host ?? '127.0.0.1';
  const instances: SystemInstance[] = [];
  for (let ordinal = 1; ordinal <= count; ordinal += 1) {
    const port = ordinal === 1 && !isBalanced(name, count) ? options.ports[name] : await freePort();
    instances.push({
      name: ordinal === 1 ? name : `${name}-${ordinal}`,
      service: name,
      url: `http://${host}:${port}`,
      process: new ServiceProcess(instanceOptions(options, databaseUrls, name, ordinal, port)),
    });
  }
  return instances;
}

/** The variables every process of the system starts with. */
function commonEnvironment(options: KeelSystemOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // psp-sim stands in for every PSP: a local system is the local profile's by definition.
    KEEL_PROFILE: 'local',
    ...options.environment,
  };
}

/** Each service's DATABASE_URL, as its own role (provisionServiceDatabases). */
type DatabaseUrls = ReadonlyMap<SystemProcessName, string>;

function databaseOf(options: KeelSystemOptions, service: SystemProcessName): string {
  return options.databaseOf?.(service) ?? `keel_${service}`;
}

function processOptions(options: KeelSystemOptions, databaseUrls: DatabaseUrls, name: SystemProcessName) {
  const host = options.host ?? '127.0.0.1';
  const common: NodeJS.ProcessEnv = {
    ...commonEnvironment(options),
    HOST: host,
    PORT: String(options.ports[name]),
    LOG_LEVEL: options.logLevel ?? process.env['LOG_LEVEL'] ?? 'info',
  };
  return {
    name,
    entryPoint: options.entryPoints?.[name] ?? join('apps', name, 'src', 'main.ts'),
    cwd: options.root,
    logDirectory: options.logDirectory,
    nodeArguments: options.nodeArguments,
    environment: {
      ...common,
      ...(isKeelService(name)
        ? serviceEnvironment(options, databaseUrls, name)
        : simulatorEnvironment(options, host)),
    },
  };
}

function instanceOptions(
  options: KeelSystemOptions,
  databaseUrls: DatabaseUrls,
  name: SystemProcessName,
  ordinal: number,
  port: number,
) {
  const first = processOptions(options, databaseUrls, name);
  if (ordinal === 1) return { ...first, environment: { ...first.environment, PORT: String(port) } };
  return {
    ...first,
    name: `${name}-${ordinal}`,
    environment: { ...first.environment, PORT: String(port), KEEL_INSTANCE_ID: String(ordinal) },
  };
}

function serviceEnvironment(
  options: KeelSystemOptions,
  databaseUrls: DatabaseUrls,
  name: SystemProcessName,
): NodeJS.ProcessEnv {
  const databaseUrl = databaseUrls.get(name);
  if (databaseUrl === undefined) throw new Error(`${name}'s database was not provisioned`);
  const pspUrls = Object.fromEntries(
    PSP_IDS.map((psp) => [
      `PSP_${psp.toUpperCase()}_URL`,
      options.pspUrls?.[psp] ?? `http://${options.host ?? '127.0.0.1'}:${options.pspPorts[psp]}`,
    ]),
  );
  return {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: options.kafkaBrokers.join(','),
    KAFKA_TOPIC_NAMESPACE: options.topicNamespace ?? '',
    // Stable across restarts of the instance (extra instances get their ordinal). With a client that
    // has static membership it names the instance in its consumer group, so a restart takes the
    // instance's partitions back at once.
    KEEL_INSTANCE_ID: '0',
    // The executor charges at the PSPs; reconciliation downloads their settlement files.
    ...(name === 'executor' || name === 'reconciliation' ? pspUrls : {}),
    // ops changes routing through the executor's routes API and reads every service's pipeline.
    ...(name === 'ops' ? opsEnvironment(options) : {}),
  };
}

/** The executor ops routes through, and the /metrics of every service the system runs, ops' own included. */
function opsEnvironment(options: KeelSystemOptions): NodeJS.ProcessEnv {
  const host = options.host ?? '127.0.0.1';
  const services = KEEL_SERVICES.filter(
    (service) => options.only === undefined || options.only.includes(service),
  );
  return {
    OPS_EXECUTOR_URL: `http://${host}:${options.ports.executor}`,
    OPS_PIPELINE_TARGETS: services
      .map((service) => `${service}=http://${host}:${options.ports[service]}`)
      .join(','),
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
