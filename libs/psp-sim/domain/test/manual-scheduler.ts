import type { CancelTask, Scheduler } from '../src/scheduler';

interface Task {
  readonly dueMs: number;
  readonly sequence: number;
  readonly run: () => void;
}

/** A clock that moves only when the test says so; due tasks run in order of due time. */
export class ManualScheduler implements Scheduler {
  private currentMs: number;
  private sequence = 0;
  private readonly tasks = new Set<Task>();

  constructor(startMs = 1_700_000_000_000) {
    this.currentMs = startMs;
  }

  get scheduledCount(): number {
    return this.tasks.size;
  }

  nowMs(): number {
    return this.currentMs;
  }

  schedule(delayMs: number, run: () => void): CancelTask {
    const task: Task = { dueMs: this.currentMs + delayMs, sequence: this.sequence++, run };
    this.tasks.add(task);
    return () => this.tasks.delete(task);
  }

  /** Moves the clock forward, running every task that falls due on the way. */
  advance(deltaMs: number): void {
    const targetMs = this.currentMs + deltaMs;
    for (let next = this.nextDue(targetMs); next !== undefined; next = this.nextDue(targetMs)) {
      this.tasks.delete(next);
      this.currentMs = next.dueMs;
      next.run();
    }
    this.currentMs = targetMs;
  }

  private nextDue(targetMs: number): Task | undefined {
    let earliest: Task | undefined;
    for (const task of this.tasks) {
      if (task.dueMs > targetMs) continue;
      if (
        earliest === undefined ||
        task.dueMs < earliest.dueMs ||
        (task.dueMs === earliest.dueMs && task.sequence < earliest.sequence)
      ) {
        earliest = task;
      }
    }
    return earliest;
  }
}
