import { KEEL_SERVICES, type KeelServiceName, type KeelSystem } from '@keel/local-system';
import type { ChaosEnvironment } from './borrowed-tool-parts';
import { waitForAssignment, waitForResume, type ConsumerWait } from './consumer-metrics';
import { sleep } from './drill';
import { waitUntilTerminal, type TerminalWait } from './payment-settling';
import {
  CONSUMER_SERVICES,
  isConsumerService,
  type BrokerRestartObservation,
  type KillObservation,
  type RollingRestartObservation,
  type ServiceRestart,
} from './restart-drill.observations';
import type { RestartDrillSettings } from './restart-drill.settings';
import type { SteadyTraffic } from './steady-traffic';

export interface DrillContext {
  readonly environment: ChaosEnvironment;
  readonly traffic: SteadyTraffic;
  readonly settings: RestartDrillSettings;
  readonly log: (line: string) => void;
}

type Restart = Omit<ServiceRestart, 'assignment'>;

/** SIGTERM, wait for the exit (SIGKILL after the grace), start again, wait until ready. */
async function restartGracefully(
  system: KeelSystem,
  service: KeelServiceName,
  graceMs: number,
): Promise<Restart> {
  const signalAtMs = Date.now();
  await system.process(service).stop(graceMs);
  const exitedAtMs = Date.now();
  await system.restart(service);
  return {
    service,
    signal: 'SIGTERM',
    signalAtMs,
    exitedAtMs,
    forcedAfterGrace: exitedAtMs - signalAtMs >= graceMs,
    startedAtMs: exitedAtMs,
    readyAtMs: Date.now(),
  };
}

/** SIGKILL, stay down until `downMs` after the kill, start again, wait until ready. */
async function killAndStartLater(
  system: KeelSystem,
  service: KeelServiceName,
  downMs: number,
): Promise<Restart> {
  const signalAtMs = Date.now();
  await system.process(service).kill();
  const exitedAtMs = Date.now();
  await sleep(signalAtMs + downMs - Date.now());
  const startedAtMs = Date.now();
  await system.restart(service);
  return {
    service,
    signal: 'SIGKILL',
    signalAtMs,
    exitedAtMs,
    forcedAfterGrace: false,
    startedAtMs,
    readyAtMs: Date.now(),
  };
}

function assignmentOf(context: DrillContext, restart: Restart): Promise<ConsumerWait> | undefined {
  if (!isConsumerService(restart.service)) return undefined;
  const { system } = context.environment;
  return waitForAssignment(
    system.url(restart.service),
    restart.readyAtMs,
    context.settings.consumerWaitS * 1_000,
  );
}

function terminalSince(context: DrillContext, sinceMs: number): Promise<TerminalWait> {
  const { environment, traffic, settings } = context;
  return waitUntilTerminal(
    environment.system.url('payment'),
    traffic.checkouts,
    sinceMs,
    settings.terminalWaitS * 1_000,
  );
}

const seconds = (ms: number): string => `${(ms / 1_000).toFixed(1)} s`;

/**
 * Step (a): every service in turn, SIGTERM then started again; the next one only once this one is
 * ready. Partition assignment is watched in the background while the restart moves on.
 */
export async function rollingRestart(context: DrillContext): Promise<RollingRestartObservation> {
  const graceMs = context.settings.stopGraceS * 1_000;
  const restarts: { restart: Restart; assignment: Promise<ConsumerWait> | undefined }[] = [];
  for (const service of KEEL_SERVICES) {
    const restart = await restartGracefully(context.environment.system, service, graceMs);
    context.log(
      `  ${service}: exited ${seconds(restart.exitedAtMs - restart.signalAtMs)} after SIGTERM, ready again after ${seconds(restart.readyAtMs - restart.signalAtMs)}`,
    );
    restarts.push({ restart, assignment: assignmentOf(context, restart) });
  }
  const lastReadyAtMs = restarts[restarts.length - 1]?.restart.readyAtMs ?? Date.now();
  const terminal = await terminalSince(context, lastReadyAtMs);
  const withAssignment: ServiceRestart[] = [];
  for (const { restart, assignment } of restarts)
    withAssignment.push(assignment === undefined ? restart : { ...restart, assignment: await assignment });
  return { restarts: withAssignment, terminal, endMs: Date.now() };
}

/** Step (b), one service: SIGKILL, started again DRILL_KILL_DOWN_S later, then both recovery waits. */
export async function killAndRestart(
  context: DrillContext,
  service: KeelServiceName,
): Promise<KillObservation> {
  const restart = await killAndStartLater(
    context.environment.system,
    service,
    context.settings.killDownS * 1_000,
  );
  context.log(
    `  ${service}: killed, started again after ${seconds(restart.startedAtMs - restart.signalAtMs)}, ready after ${seconds(restart.readyAtMs - restart.signalAtMs)}`,
  );
  const [assignment, terminal] = await Promise.all([
    assignmentOf(context, restart),
    terminalSince(context, restart.readyAtMs),
  ]);
  return {
    restart: assignment === undefined ? restart : { ...restart, assignment },
    terminal,
    endMs: Date.now(),
  };
}

/**
 * Step (c): the run's own broker stopped by SIGTERM and started at once on the same ports and data
 * (the chaos suite's kafka-broker-restart fault); then every consumer service's resumption.
 */
export async function brokerRestart(context: DrillContext): Promise<BrokerRestartObservation> {
  const { environment, settings } = context;
  const stopAtMs = Date.now();
  const [injected] = await environment.runFaults([
    {
      atMs: 0,
      durationMs: 0,
      faultClass: 'kafka-broker-restart',
      target: 'kafka',
      parameters: { signal: 'SIGTERM' },
    },
  ]);
  const backAtMs = Date.now();
  if (injected === undefined || injected.error !== undefined)
    throw new Error(`the broker restart failed: ${injected?.error ?? 'no fault ran'}`);
  context.log(
    `  broker: ${injected.observation ?? 'restarted'}; answering again after ${seconds(backAtMs - stopAtMs)}`,
  );
  const waitMs = settings.consumerWaitS * 1_000;
  const [resumes, terminal] = await Promise.all([
    Promise.all(
      CONSUMER_SERVICES.map(async (service) => ({
        service,
        ...(await waitForResume(environment.system.url(service), backAtMs, waitMs)),
      })),
    ),
    terminalSince(context, backAtMs),
  ]);
  return {
    stopAtMs,
    backAtMs,
    note: injected.observation ?? '',
    resumes,
    terminal,
    endMs: Date.now(),
  };
}
