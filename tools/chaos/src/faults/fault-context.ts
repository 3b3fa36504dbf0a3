import type { KeelServiceName, KeelSystem } from '@keel/local-system';
import type { ScheduledFault } from './fault';
import type { TcpProxy } from './tcp-proxy';

/** The links a network-delay fault can slow down: each runs through a proxy of the suite. */
export const DELAYED_LINKS = ['postgres', 'kafka', 'acme', 'nova', 'swiftpay'] as const;
export type DelayedLink = (typeof DELAYED_LINKS)[number];

/** The chaos run's own Kafka broker, which a fault may stop and start again. */
export interface RestartableBroker {
  isRunning(): boolean;
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it on the same ports and data and waits until it answers. */
  start(): Promise<void>;
}

/** What the injectors act on. */
export interface FaultContext {
  readonly system: KeelSystem;
  readonly broker: RestartableBroker;
  readonly proxies: Readonly<Record<DelayedLink, TcpProxy>>;
  /** A URL of the PostgreSQL server itself (not through the proxy), for pg_terminate_backend. */
  readonly postgresAdminUrl: string;
  readonly databases: Readonly<Record<KeelServiceName, string>>;
  /** How often a killed service is started again when it exits while starting. */
  readonly restartAttemptsMax: number;
}

/** A fault in force: what the injector saw so far, and how to end it. */
export interface ActiveFault {
  observation(): string | undefined;
  undo(): Promise<void>;
}

export type FaultInjector = (fault: ScheduledFault, context: FaultContext) => Promise<ActiveFault>;

export function stringParameter(fault: ScheduledFault, name: string): string {
  const value = fault.parameters[name];
  if (typeof value !== 'string') throw new Error(`${fault.faultClass} needs the string parameter ${name}`);
  return value;
}

export function numberParameter(fault: ScheduledFault, name: string): number {
  const value = fault.parameters[name];
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new Error(`${fault.faultClass} needs the number parameter ${name}`);
  return value;
}
