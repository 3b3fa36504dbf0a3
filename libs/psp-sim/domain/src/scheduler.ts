/** Cancels a scheduled task; harmless once the task ran. */
export type CancelTask = () => void;

/** Time and timers, injected so that the domain is tested without waiting. */
export interface Scheduler {
  nowMs(): number;
  schedule(delayMs: number, task: () => void): CancelTask;
}

export const systemScheduler: Scheduler = {
  nowMs: () => Date.now(),
  schedule: (delayMs, task) => {
    const timer = setTimeout(task, delayMs);
    return () => clearTimeout(timer);
  },
};
