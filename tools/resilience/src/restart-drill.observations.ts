import type { KeelServiceName } from '@keel/local-system';
import type { ConsumerWait } from './consumer-metrics';
import type { TerminalWait } from '@keel/traffic';

/** The services with Kafka consumers, in the order step (b) kills them. */
export const CONSUMER_SERVICES = [
  'executor',
  'wallet',
  'ledger',
  'payment',
] as const satisfies readonly KeelServiceName[];
export type ConsumerServiceName = (typeof CONSUMER_SERVICES)[number];

export function isConsumerService(service: KeelServiceName): service is ConsumerServiceName {
  return (CONSUMER_SERVICES as readonly string[]).includes(service);
}

/** One instance of a service stopped (SIGTERM or SIGKILL) and started again, as the drill saw it (epoch ms). */
export interface ServiceRestart {
  readonly service: KeelServiceName;
  /** Which of its instances: `payment` (the first), `payment-2`, …. */
  readonly instance: string;
  readonly signal: 'SIGTERM' | 'SIGKILL';
  readonly signalAtMs: number;
  readonly exitedAtMs: number;
  /** SIGTERM only: the process outlived DRILL_STOP_GRACE_S and was killed. */
  readonly forcedAfterGrace: boolean;
  readonly startedAtMs: number;
  /** It answered /health/ready again: "the instance is back". */
  readonly readyAtMs: number;
  /** Ready → its consumers hold partitions; undefined for a service without consumers. */
  readonly assignment?: ConsumerWait;
}

/** Step (a): every instance of every service, one after another. */
export interface RollingRestartObservation {
  readonly restarts: readonly ServiceRestart[];
  /** From the last service back until every payment accepted so far is terminal. */
  readonly terminal: TerminalWait;
  readonly endMs: number;
}

/** Step (b), one service: its first instance SIGKILLed, down for DRILL_KILL_DOWN_S, started again. */
export interface KillObservation {
  readonly restart: ServiceRestart;
  /** From the service back until every payment accepted so far is terminal. */
  readonly terminal: TerminalWait;
  readonly endMs: number;
}

/** One instance of a consumer service after the broker restart. */
export interface ConsumerResume {
  readonly service: ConsumerServiceName;
  readonly instance: string;
  /** Broker back → the service's consumers hold partitions. */
  readonly assignment: ConsumerWait;
  /** Broker back → its inbox applies events again. */
  readonly applying: ConsumerWait;
}

/** Step (c): the broker stopped by SIGTERM and started again on the same ports and data. */
export interface BrokerRestartObservation {
  readonly stopAtMs: number;
  /** The broker answered an admin client again. */
  readonly backAtMs: number;
  /** What the restart saw (how long the stop took). */
  readonly note: string;
  readonly resumes: readonly ConsumerResume[];
  /** From the broker back until every payment accepted so far is terminal (no target). */
  readonly terminal: TerminalWait;
  readonly endMs: number;
}

export interface DrillObservations {
  readonly rolling: RollingRestartObservation;
  readonly kills: readonly KillObservation[];
  readonly broker: BrokerRestartObservation;
}
