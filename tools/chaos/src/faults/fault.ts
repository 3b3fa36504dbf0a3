export const FAULT_CLASSES = [
  'service-kill',
  'kafka-broker-restart',
  'postgres-terminate',
  'psp-outage',
  'psp-latency',
  'psp-charge-then-timeout',
  'webhook-duplicate',
  'webhook-out-of-order',
  'network-delay',
] as const;
export type FaultClass = (typeof FAULT_CLASSES)[number];

/** One fault of a schedule, `atMs` after the schedule starts. */
export interface ScheduledFault {
  readonly atMs: number;
  readonly durationMs: number;
  readonly faultClass: FaultClass;
  /** What the fault hits: a service, a PSP, `kafka`, `postgres` or a proxy name. */
  readonly target: string;
  readonly parameters: Readonly<Record<string, string | number>>;
}

/**
 * Faults in one lane never overlap, in the schedule or when they run: a target's faults take turns.
 * A delay on the network path to a target is a lane of its own (the proxy in front of it), so it
 * neither waits for nor holds up the target's own faults.
 */
export function laneOf(fault: Pick<ScheduledFault, 'faultClass' | 'target'>): string {
  return fault.faultClass === 'network-delay' ? `link:${fault.target}` : fault.target;
}

/** A scheduled fault as it happened. */
export interface InjectedFault extends ScheduledFault {
  startedAt: string;
  /**
   * How long after its scheduled moment the fault started because the fault before it on the same
   * target had not ended yet (its undo still running); absent when it did not wait.
   */
  startDelayMs?: number;
  endedAt?: string;
  /** What the injector saw while injecting (e.g. the backlog at a kill). */
  observation?: string;
  error?: string;
}
