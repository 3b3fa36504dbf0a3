import { setTimeout as sleep } from 'node:timers/promises';
import { sumOfMetric } from '@keel/testing';
import { SYSTEM_PROCESSES, type KeelSystem, type SystemInstance } from '@keel/local-system';
import type { ScheduledFault } from './fault';
import { numberParameter, type FaultInjector } from './fault-context';

/** What an instance holds in flight, by metric: 0 when the metric has no sample. */
const inFlight = (exposition: string, metric: string): number => sumOfMetric(exposition, metric) ?? 0;

/** How long a kill waits for work in flight (consumer lag or an outbox backlog) before it strikes anyway. */
const IN_FLIGHT_WAIT_MS_MAX = 3_000;
const METRICS_POLL_MS = 100;
const IN_FLIGHT_METRICS = ['keel_consumer_lag_records', 'keel_outbox_backlog_rows'] as const;

/** Polls the instance's own /metrics until a batch or a relay is in flight; says what it saw. */
async function awaitWorkInFlight(instance: SystemInstance, authorization: string): Promise<string> {
  const deadline = Date.now() + IN_FLIGHT_WAIT_MS_MAX;
  let last = 'no metrics read';
  while (Date.now() < deadline) {
    try {
      const exposition = await (
        await fetch(`${instance.url}/metrics`, { headers: { authorization } })
      ).text();
      const totals = IN_FLIGHT_METRICS.map((metric) => `${metric}=${inFlight(exposition, metric)}`);
      last = totals.join(' ');
      if (IN_FLIGHT_METRICS.some((metric) => inFlight(exposition, metric) > 0))
        return `killed mid-flight: ${last}`;
    } catch (error) {
      last = `metrics unreadable: ${(error as Error).message}`;
    }
    await sleep(METRICS_POLL_MS);
  }
  return `killed idle after ${IN_FLIGHT_WAIT_MS_MAX} ms: ${last}`;
}

/** The instance a fault hits: its `instance` parameter (0, the first, when absent) of its target. */
export function targetInstance(fault: ScheduledFault, system: KeelSystem): SystemInstance {
  const name = SYSTEM_PROCESSES.find((candidate) => candidate === fault.target);
  if (name === undefined) throw new Error(`service-kill: unknown process ${fault.target}`);
  const index = fault.parameters['instance'] === undefined ? 0 : numberParameter(fault, 'instance');
  const instances = system.instances(name);
  const instance = instances[index];
  if (instance === undefined)
    throw new Error(`service-kill: ${name} has no instance ${index} (it runs ${instances.length})`);
  return instance;
}

const RESTART_PAUSE_MS = 1_000;

/**
 * Starts an instance that is down again, as a supervisor would: a service that exits while starting
 * (its Kafka or PostgreSQL may be faulted too) is started again, up to `attemptsMax` times.
 */
export async function restartUntilReady(
  system: KeelSystem,
  instance: SystemInstance,
  attemptsMax: number,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await system.restartInstance(instance);
      return;
    } catch (error) {
      if (attempt >= attemptsMax || instance.process.isRunning())
        throw new Error(
          `${instance.name} did not come back after ${attempt} starts: ${(error as Error).message}`,
        );
      await sleep(RESTART_PAUSE_MS);
    }
  }
}

/**
 * SIGKILL one instance of a service, if possible while it has work in flight; the undo starts it
 * again. With several instances (payment behind its balancer) the others keep serving.
 */
export const injectServiceKill: FaultInjector = async (fault, { system, restartAttemptsMax }) => {
  const instance = targetInstance(fault, system);
  const observation = await awaitWorkInFlight(instance, system.operatorAuthorization('viewer'));
  const pid = instance.process.pid;
  await instance.process.kill();
  return {
    observation: () => `${observation} (${instance.name}, pid ${pid})`,
    undo: () => restartUntilReady(system, instance, restartAttemptsMax),
  };
};
