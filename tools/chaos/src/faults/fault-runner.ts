import type { FaultClass, InjectedFault, ScheduledFault } from './fault';
import type { ActiveFault, FaultContext, FaultInjector } from './fault-context';
import { FAULT_INJECTORS } from './injectors';

export interface FaultRun {
  readonly schedule: readonly ScheduledFault[];
  readonly context: FaultContext;
  /** The faults in force, shared with heal(), which may undo them first. */
  readonly active: Set<ActiveFault>;
  readonly signal?: AbortSignal;
  readonly injectors?: Readonly<Record<FaultClass, FaultInjector>>;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function runOne(fault: ScheduledFault, startMs: number, run: FaultRun): Promise<InjectedFault> {
  const { context, active, signal } = run;
  const injectors = run.injectors ?? FAULT_INJECTORS;
  await abortableSleep(startMs + fault.atMs - Date.now(), signal);
  const record: InjectedFault = { ...fault, startedAt: new Date().toISOString() };
  if (signal?.aborted)
    return { ...record, endedAt: record.startedAt, error: 'not started: the run was aborted' };
  let injected: ActiveFault;
  try {
    injected = await injectors[fault.faultClass](fault, context);
  } catch (error) {
    return { ...record, endedAt: new Date().toISOString(), error: `inject failed: ${message(error)}` };
  }
  active.add(injected);
  await abortableSleep(fault.durationMs, signal);
  // Whoever takes the fault out of `active` undoes it: this run, or a heal() that came first.
  if (active.delete(injected)) {
    try {
      await injected.undo();
    } catch (error) {
      record.error = `undo failed: ${message(error)}`;
    }
  }
  record.observation = injected.observation();
  record.endedAt = new Date().toISOString();
  return record;
}

/**
 * Runs a schedule from now with real timing, every fault concurrently on its own clock. One
 * failed fault is recorded (`error`) and never stops the others; an abort ends the faults in force
 * and skips the ones not yet started.
 */
export async function runFaultSchedule(run: FaultRun): Promise<InjectedFault[]> {
  const startMs = Date.now();
  return Promise.all(run.schedule.map((fault) => runOne(fault, startMs, run)));
}

/** Undoes every fault in force (each once), recording nothing; errors are collected and rethrown. */
export async function undoActiveFaults(active: Set<ActiveFault>): Promise<void> {
  const faults = [...active];
  active.clear();
  const results = await Promise.allSettled(faults.map((fault) => fault.undo()));
  const failures = results.flatMap((result) =>
    result.status === 'rejected' ? [message(result.reason)] : [],
  );
  if (failures.length > 0) throw new Error(`undoing faults failed: ${failures.join('; ')}`);
}
