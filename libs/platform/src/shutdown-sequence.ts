/** One step of a graceful shutdown; the steps run one after another, in the order given. */
export interface ShutdownPhase {
  /** Says in the logs what the shutdown was doing, or waiting on when it ran out of time. */
  readonly name: string;
  run(): Promise<void> | void;
}

/** The two log levels a shutdown writes at; pino's Logger fits. */
export interface ShutdownLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export type ShutdownOutcome =
  | { readonly kind: 'completed'; readonly durationMs: number }
  | { readonly kind: 'failed'; readonly failedPhases: readonly string[]; readonly durationMs: number }
  | { readonly kind: 'timed-out'; readonly waitingOn: string; readonly durationMs: number };

export interface ShutdownSequenceOptions {
  /** The whole sequence ends by then, finished or not. */
  readonly timeoutMs: number;
  readonly log: ShutdownLog;
  readonly now?: () => number;
}

/**
 * Runs the phases in order, each after the previous one has settled, and logs one line per phase
 * with its duration. A phase that fails is logged and the next ones still run: a consumer that could
 * not leave its group must not keep the database pool open. Past `timeoutMs` it stops waiting and
 * reports the phase it was waiting on; the caller exits then, whatever is still running.
 */
export async function runShutdownSequence(
  phases: readonly ShutdownPhase[],
  { timeoutMs, log, now = Date.now }: ShutdownSequenceOptions,
): Promise<ShutdownOutcome> {
  const startedAt = now();
  let current = phases[0]?.name ?? 'nothing';
  const failedPhases: string[] = [];
  const allPhases = (async () => {
    for (const phase of phases) {
      current = phase.name;
      const phaseStartedAt = now();
      try {
        await phase.run();
        log.info({ phase: phase.name, durationMs: now() - phaseStartedAt }, 'shutdown phase done');
      } catch (error) {
        failedPhases.push(phase.name);
        log.error(
          { err: error, phase: phase.name, durationMs: now() - phaseStartedAt },
          'shutdown phase failed',
        );
      }
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), timeoutMs);
  });
  const finished = await Promise.race([allPhases.then(() => 'finished' as const), deadline]);
  clearTimeout(timer);
  const durationMs = now() - startedAt;
  if (finished === 'timed-out') {
    log.error({ waitingOn: current, durationMs, timeoutMs }, 'shutdown timed out');
    return { kind: 'timed-out', waitingOn: current, durationMs };
  }
  if (failedPhases.length > 0) {
    log.error({ failedPhases, durationMs }, 'shutdown finished with failures');
    return { kind: 'failed', failedPhases, durationMs };
  }
  log.info({ durationMs }, 'shutdown complete');
  return { kind: 'completed', durationMs };
}

/** A process ends 0 only after a complete shutdown, so a supervisor sees the others as faults. */
export function exitCodeOf(outcome: ShutdownOutcome): number {
  return outcome.kind === 'completed' ? 0 : 1;
}
