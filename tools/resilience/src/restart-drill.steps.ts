import { setTimeout as sleep } from 'node:timers/promises';
import {
  KEEL_SERVICES,
  type KeelServiceName,
  type KeelSystem,
  type SystemInstance,
} from '@keel/local-system';
import {
  waitUntilTerminal,
  type DrillPaymentApi,
  type SteadyTraffic,
  type TerminalWait,
} from '@keel/traffic';
import type { ChaosEnvironment } from './borrowed-tool-parts';
import { waitForAssignment, waitForResume, type ConsumerWait } from './consumer-metrics';
import {
  CONSUMER_SERVICES,
  isConsumerService,
  type BrokerRestartObservation,
  type KillObservation,
  type RollingRestartObservation,
  type ServiceRestart,
} from './restart-drill.observations';
import type { PaymentSheds } from './payment-sheds';
import type { RestartDrillSettings } from './restart-drill.settings';

export interface DrillContext {
  readonly environment: ChaosEnvironment;
  readonly traffic: SteadyTraffic;
  /** Where the traffic's checkouts go, and where the drill reads them back. */
  readonly payment: DrillPaymentApi;
  readonly settings: RestartDrillSettings;
  readonly log: (line: string) => void;
  /** Read before each payment instance is stopped or killed, its shed counter going with it. */
  readonly paymentSheds: PaymentSheds;
}

async function recordShedsBeforeStop(context: DrillContext, instance: SystemInstance): Promise<void> {
  if (instance.service === 'payment') await context.paymentSheds.record(instance.url);
}

type Restart = Omit<ServiceRestart, 'assignment'>;

/** SIGTERM, wait for the exit (SIGKILL after the grace), start again, wait until ready. */
async function restartGracefully(
  system: KeelSystem,
  service: KeelServiceName,
  instance: SystemInstance,
  graceMs: number,
): Promise<Restart> {
  const signalAtMs = Date.now();
  await instance.process.stop(graceMs);
  const exitedAtMs = Date.now();
  await system.restartInstance(instance);
  return {
    service,
    instance: instance.name,
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
  instance: SystemInstance,
  downMs: number,
): Promise<Restart> {
  const signalAtMs = Date.now();
  await instance.process.kill();
  const exitedAtMs = Date.now();
  await sleep(signalAtMs + downMs - Date.now());
  const startedAtMs = Date.now();
  await system.restartInstance(instance);
  return {
    service,
    instance: instance.name,
    signal: 'SIGKILL',
    signalAtMs,
    exitedAtMs,
    forcedAfterGrace: false,
    startedAtMs,
    readyAtMs: Date.now(),
  };
}

/** The instance's own /metrics, never a balancer's (which would answer for any instance). */
function instanceUrl(system: KeelSystem, service: KeelServiceName, instanceName: string): string {
  const instance = system.instances(service).find((candidate) => candidate.name === instanceName);
  if (instance === undefined) throw new Error(`${service} has no instance ${instanceName}`);
  return instance.url;
}

function assignmentOf(context: DrillContext, restart: Restart): Promise<ConsumerWait> | undefined {
  if (!isConsumerService(restart.service)) return undefined;
  const { system } = context.environment;
  return waitForAssignment(
    instanceUrl(system, restart.service, restart.instance),
    () => system.operatorAuthorization('viewer'),
    restart.readyAtMs,
    context.settings.consumerWaitS * 1_000,
  );
}

function terminalSince(context: DrillContext, sinceMs: number): Promise<TerminalWait> {
  const { traffic, payment, settings } = context;
  return waitUntilTerminal(payment, traffic.checkouts, sinceMs, settings.terminalWaitS * 1_000);
}

const seconds = (ms: number): string => `${(ms / 1_000).toFixed(1)} s`;

/**
 * Step (a): every instance of every service in turn, SIGTERM then started again; the next one only
 * once this one is ready. Partition assignment is watched in the background while the restart moves on.
 */
export async function rollingRestart(context: DrillContext): Promise<RollingRestartObservation> {
  const { system } = context.environment;
  const graceMs = context.settings.stopGraceS * 1_000;
  const restarts: { restart: Restart; assignment: Promise<ConsumerWait> | undefined }[] = [];
  const instances = KEEL_SERVICES.flatMap((service) =>
    system.instances(service).map((instance) => ({ service, instance })),
  );
  for (const { service, instance } of instances) {
    await recordShedsBeforeStop(context, instance);
    const restart = await restartGracefully(system, service, instance, graceMs);
    context.log(
      `  ${instance.name}: exited ${seconds(restart.exitedAtMs - restart.signalAtMs)} after SIGTERM, ready again after ${seconds(restart.readyAtMs - restart.signalAtMs)}`,
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

/**
 * Step (b), one service: its first instance SIGKILLed (any other keeps serving), started again
 * DRILL_KILL_DOWN_S later, then both recovery waits.
 */
export async function killAndRestart(
  context: DrillContext,
  service: KeelServiceName,
): Promise<KillObservation> {
  const { system } = context.environment;
  const [first] = system.instances(service);
  if (first === undefined) throw new Error(`${service} has no instance`);
  await recordShedsBeforeStop(context, first);
  const restart = await killAndStartLater(system, service, first, context.settings.killDownS * 1_000);
  context.log(
    `  ${first.name}: killed, started again after ${seconds(restart.startedAtMs - restart.signalAtMs)}, ready after ${seconds(restart.readyAtMs - restart.signalAtMs)}`,
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
 * (the chaos suite's kafka-broker-restart fault); then every consumer instance's resumption.
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
  const instances = CONSUMER_SERVICES.flatMap((service) =>
    environment.system.instances(service).map((instance) => ({ service, instance })),
  );
  const [resumes, terminal] = await Promise.all([
    Promise.all(
      instances.map(async ({ service, instance }) => ({
        service,
        instance: instance.name,
        ...(await waitForResume(
          instance.url,
          () => environment.system.operatorAuthorization('viewer'),
          backAtMs,
          waitMs,
        )),
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
