import { laneOf, type FaultClass, type InjectedFault, type ScheduledFault } from './fault';
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

/** One fault, from its start (its scheduled moment, or `targetFreeAtMs` when that is later) to its end. */
async function runOne(
  fault: ScheduledFault,
  startMs: number,
  targetFreeAtMs: number,
  run: FaultRun,
): Promise<InjectedFault> {
  const { context, active, signal } = run;
  const injectors = run.injectors ?? FAULT_INJECTORS;
  const scheduledAtMs = startMs + fault.atMs;
  const waitedForTarget = targetFreeAtMs > scheduledAtMs;
  await abortableSleep(scheduledAtMs - Date.now(), signal);
  const startedAt = new Date().toISOString();
  if (signal?.aborted)
    return { ...fault, startedAt, endedAt: startedAt, error: 'not started: the run was aborted' };
  const record: InjectedFault = {
    ...fault,
    startedAt,
    ...(waitedForTarget ? { startDelayMs: Date.now() - scheduledAtMs } : {}),
  };
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

/** One lane's faults in schedule order, each once the one before has ended (undo included). */
async function runTarget(
  faults: readonly ScheduledFault[],
  startMs: number,
  run: FaultRun,
): Promise<Map<ScheduledFault, InjectedFault>> {
  const records = new Map<ScheduledFault, InjectedFault>();
  let freeAtMs = startMs;
  for (const fault of faults) {
    records.set(fault, await runOne(fault, startMs, freeAtMs, run));
    freeAtMs = Date.now();
  }
  return records;
}

function byLane(schedule: readonly ScheduledFault[]): ScheduledFault[][] {
  const groups = new Map<string, ScheduledFault[]>();
  for (const fault of [...schedule].sort((a, b) => a.atMs - b.atMs)) {
    const group = groups.get(laneOf(fault)) ?? [];
    group.push(fault);
    groups.set(laneOf(fault), group);
  }
  return [...groups.values()];
}

/**
 * Runs a schedule from now with real timing. Faults in different lanes (laneOf) run concurrently;
 * faults in the same lane never overlap: each starts at its moment or once the one before has ended,
 * whichever is later, since an undo (a broker or a service starting again) can take far longer than
 * the fault's duration. One failed fault is recorded (`error`) and never stops the others; an abort
 * ends the faults in force and skips the ones not yet started. Records come in schedule order.
 */
export async function runFaultSchedule(run: FaultRun): Promise<InjectedFault[]> {
  const startMs = Date.now();
  const targets = await Promise.all(byLane(run.schedule).map((faults) => runTarget(faults, startMs, run)));
  const records = new Map(targets.flatMap((target) => [...target]));
  return run.schedule.map((fault) => records.get(fault) as InjectedFault);
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
