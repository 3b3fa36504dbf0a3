import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveEndpoints, stateDirectory, workspaceRoot } from '@keel/local-infra';
import {
  freePort,
  isKeelService,
  KEEL_SERVICES,
  KeelSystem,
  PSP_IDS,
  SYSTEM_PROCESSES,
  type KeelServiceName,
  type PspId,
  type SystemProcessName,
} from '@keel/local-system';
import { createTestDatabase, createTestNamespace } from '@keel/testing';
import type { InjectedFault, ScheduledFault } from '../faults/fault';
import type { ActiveFault, DelayedLink, FaultContext } from '../faults/fault-context';
import { runFaultSchedule, undoActiveFaults } from '../faults/fault-runner';
import { restartUntilReady } from '../faults/service-kill.fault';
import { TcpProxy } from '../faults/tcp-proxy';
import { ChaosBroker } from './chaos-broker';
import { chaosEnvironmentSettings, type ChaosEnvironmentSettings } from './chaos-settings';

export interface ChaosEnvironment {
  /** Urls of the services and psp-sim. */
  readonly system: KeelSystem;
  /** What a checker should connect to (the proxy in front of the run's own broker). */
  readonly kafkaBrokers: readonly string[];
  readonly topicNamespace: string;
  /** Database names, for reading only by the bench and diagnostics. */
  readonly databases: Readonly<Record<KeelServiceName, string>>;
  /** Runs the schedule (relative to now); resolves when every fault has ended; each fault is undone on abort. */
  runFaults(schedule: readonly ScheduledFault[], signal?: AbortSignal): Promise<InjectedFault[]>;
  /** Undoes every fault still active, restarts every instance that is down, waits until all are ready. */
  heal(): Promise<void>;
  /** Processes that exited without being killed or stopped, while starting or once ready. */
  readonly crashes: readonly ProcessCrash[];
  stop(): Promise<void>;
}

/** A process that exited on its own during the run. */
export interface ProcessCrash {
  readonly process: SystemProcessName;
  readonly at: string;
  /** Where its last words are. */
  readonly logPath: string;
  /**
   * It exited while starting (its database or broker faulted too, say): a failed start, which a
   * supervisor retries and the service is designed to report so; not a crash.
   */
  readonly whileStarting: boolean;
}

export interface ChaosEnvironmentOptions {
  /** Names the databases and the run directory `.keel/chaos/<label>-<time>`. */
  readonly label: string;
  /** Extra variables for every process. */
  readonly environment?: NodeJS.ProcessEnv;
  /** How many instances of each service to run (see `KeelSystemOptions.instances`); one by default. */
  readonly instances?: Readonly<Partial<Record<SystemProcessName, number>>>;
  /** Processes started from a test build's entry point (see `KeelSystemOptions.entryPoints`). */
  readonly entryPoints?: Readonly<Partial<Record<SystemProcessName, string>>>;
}

/** Undo steps collected while starting, run in reverse by stop() or when the start fails. */
type CleanUp = () => Promise<void>;

async function runCleanUps(cleanUps: CleanUp[]): Promise<void> {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp().catch(() => undefined);
}

function proxiedUrl(serverUrl: string, proxyPort: number): string {
  const url = new URL(serverUrl);
  url.hostname = '127.0.0.1';
  url.port = String(proxyPort);
  return url.toString();
}

async function startProxy(name: DelayedLink, targetPort: number, cleanUps: CleanUp[]): Promise<TcpProxy> {
  const proxy = await TcpProxy.start({ name, listenPort: await freePort(), targetPort });
  cleanUps.push(() => proxy.stop());
  return proxy;
}

/** The run's own broker behind its proxy: clients are told the proxy's port, so every byte passes it. */
async function startOwnKafka(
  runDirectory: string,
  settings: ChaosEnvironmentSettings,
  cleanUps: CleanUp[],
): Promise<{ broker: ChaosBroker; proxy: TcpProxy; brokers: string[] }> {
  const proxyPort = await freePort();
  const broker = await ChaosBroker.create({
    directory: join(runDirectory, 'kafka'),
    logPath: join(runDirectory, 'logs', 'kafka-broker.log'),
    advertisedPort: proxyPort,
    heap: settings.kafkaHeap,
    startTimeoutMs: settings.kafkaStartTimeoutMs,
    stopTimeoutMs: settings.kafkaStopTimeoutMs,
  });
  cleanUps.push(async () => {
    await broker.close();
    rmSync(join(runDirectory, 'kafka'), { recursive: true, force: true });
  });
  const proxy = await TcpProxy.start({ name: 'kafka', listenPort: proxyPort, targetPort: broker.port });
  cleanUps.push(() => proxy.stop());
  await broker.start();
  return { broker, proxy, brokers: [`127.0.0.1:${proxyPort}`] };
}

async function createDatabases(label: string, cleanUps: CleanUp[]): Promise<Record<KeelServiceName, string>> {
  const databases = {} as Record<KeelServiceName, string>;
  for (const service of KEEL_SERVICES) {
    const database = await createTestDatabase(`${label}_${service}`);
    cleanUps.push(() => database.drop());
    databases[service] = database.name;
  }
  return databases;
}

/**
 * Keel for a chaos run: its own Kafka broker, a proxy in front of PostgreSQL, Kafka and every PSP
 * port (the services only ever reach them through the proxies), fresh databases, a fresh topic
 * namespace, and every process on free ports.
 */
export async function startChaosEnvironment(options: ChaosEnvironmentOptions): Promise<ChaosEnvironment> {
  const settings = chaosEnvironmentSettings();
  const runDirectory = join(stateDirectory(), 'chaos', `${options.label}-${Date.now()}`);
  const cleanUps: CleanUp[] = [];
  try {
    const { databaseUrl } = resolveEndpoints();
    const kafka = await startOwnKafka(runDirectory, settings, cleanUps);
    const namespace = await createTestNamespace(3, kafka.brokers);
    const postgresProxy = await startProxy('postgres', Number(new URL(databaseUrl).port || 5432), cleanUps);
    const databases = await createDatabases(options.label, cleanUps);

    const ports = {} as Record<SystemProcessName, number>;
    for (const name of SYSTEM_PROCESSES) ports[name] = await freePort();
    const pspPorts = {} as Record<PspId, number>;
    const pspUrls = {} as Record<PspId, string>;
    const pspProxies = {} as Record<PspId, TcpProxy>;
    for (const psp of PSP_IDS) {
      pspPorts[psp] = await freePort();
      pspProxies[psp] = await startProxy(psp, pspPorts[psp], cleanUps);
      pspUrls[psp] = `http://127.0.0.1:${pspProxies[psp].port}`;
    }

    const crashes: ProcessCrash[] = [];
    const system = await KeelSystem.start(
      {
        root: workspaceRoot(),
        postgresUrl: proxiedUrl(databaseUrl, postgresProxy.port),
        databaseOf: (service) => (isKeelService(service) ? databases[service] : 'postgres'),
        kafkaBrokers: kafka.brokers,
        topicNamespace: namespace.namespace,
        ports,
        pspPorts,
        pspUrls,
        logDirectory: join(runDirectory, 'logs'),
        logLevel: 'info',
        environment: options.environment ?? {},
        instances: options.instances,
        entryPoints: options.entryPoints,
        readyTimeoutMs: settings.readyTimeoutMs,
      },
      (name, logPath, afterReady) =>
        crashes.push({ process: name, at: new Date().toISOString(), logPath, whileStarting: !afterReady }),
    );
    cleanUps.push(() => system.stop());

    const context: FaultContext = {
      system,
      broker: kafka.broker,
      proxies: { postgres: postgresProxy, kafka: kafka.proxy, ...pspProxies },
      postgresAdminUrl: databaseUrl,
      databases,
      restartAttemptsMax: settings.restartAttemptsMax,
    };
    const active = new Set<ActiveFault>();
    return {
      system,
      kafkaBrokers: kafka.brokers,
      topicNamespace: namespace.namespace,
      databases,
      runFaults: (schedule, signal) => runFaultSchedule({ schedule, context, active, signal }),
      heal: () => heal(context, active),
      crashes,
      stop: () => runCleanUps(cleanUps),
    };
  } catch (error) {
    await runCleanUps(cleanUps);
    throw error;
  }
}

/** Ends every fault, then brings every instance that is down back up, and waits for all of them. */
async function heal(context: FaultContext, active: Set<ActiveFault>): Promise<void> {
  const { system, broker, proxies } = context;
  await undoActiveFaults(active);
  for (const proxy of Object.values(proxies)) proxy.setDelay(0);
  await fetch(`${system.url('psp-sim')}/admin/faults`, { method: 'DELETE' }).then((response) => {
    if (!response.ok) throw new Error(`DELETE /admin/faults answered ${response.status}`);
  });
  await broker.start();
  const instances = system.names().flatMap((name) => system.instances(name));
  await Promise.all(
    instances.map((instance) =>
      instance.process.isRunning()
        ? system.waitUntilInstanceReady(instance)
        : restartUntilReady(system, instance, context.restartAttemptsMax),
    ),
  );
}
