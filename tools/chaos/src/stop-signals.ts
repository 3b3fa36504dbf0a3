import { setMaxListeners } from 'node:events';
import { constants } from 'node:os';

/** The signals that stop a chaos run early: Ctrl-C, and a supervisor's (or CI's) stop. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** The shell's convention for a process ended by a signal: 128 + its number (130, 143). */
export function exitCodeOf(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}

/** Listeners the run's abort signal may hold before Node warns of a leak. */
const RUN_SIGNAL_LISTENERS_MAX = 100;

/** The part of `process` this needs, so that a test can send the signals. */
export interface SignalSource {
  on(signal: StopSignal, listener: (signal: StopSignal) => void): unknown;
}

/**
 * An AbortSignal that aborts, its reason the signal's name, at the first SIGINT or SIGTERM. The
 * listeners stay: a second signal while the run stops its environment is only logged, where Node's
 * default would exit at once and leave the services, the broker and the databases behind.
 */
export function abortOnStopSignals(source: SignalSource, log: (line: string) => void): AbortSignal {
  const controller = new AbortController();
  // Every fault target waits on the signal at once (about twenty), beside the workload and the
  // run's own waits: more than Node's default of ten listeners, and not a leak.
  setMaxListeners(RUN_SIGNAL_LISTENERS_MAX, controller.signal);
  const onSignal = (signal: StopSignal): void => {
    if (controller.signal.aborted) {
      log(`chaos: ${signal} again: still stopping the environment`);
      return;
    }
    log(`chaos: ${signal}: stopping the environment`);
    controller.abort(signal);
  };
  for (const signal of STOP_SIGNALS) source.on(signal, onSignal);
  return controller.signal;
}

/** The stop signal an aborted run received, if any. */
export function stopSignalOf(signal: AbortSignal): StopSignal | undefined {
  const reason: unknown = signal.reason;
  return signal.aborted && STOP_SIGNALS.some((candidate) => candidate === reason)
    ? (reason as StopSignal)
    : undefined;
}
