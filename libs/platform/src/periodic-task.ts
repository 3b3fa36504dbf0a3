import type { Logger } from '@keel/observability';

export interface PeriodicTaskSettings {
  /** Names the task in its log lines. */
  readonly name: string;
  /** From the start of one run to the start of the next; a run still going then is not doubled. */
  readonly intervalMs: number;
  /**
   * Logged with the error when a run started by the timer fails after one that did not; the next
   * run tries again. Failures that follow it are not logged again until a run succeeds, which is
   * logged (at info) as the task recovered: a task run every second must not flood the log.
   */
  readonly failureMessage: string;
  /** `error` where a failed run needs a person; `warn` (the default) where the next run may fix it. */
  readonly failureLevel?: 'warn' | 'error';
}

/**
 * Work repeated on a timer inside a service (re-reading a table, sampling, purging): one run at a
 * time, a failed run logged (once per streak of failures) and never thrown, and a stop that waits
 * for the run in flight. The timer is unref'd, so a task never keeps a process alive on its own.
 */
export class PeriodicTask<T = void> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;
  private failing = false;

  constructor(
    private readonly settings: PeriodicTaskSettings,
    private readonly work: () => Promise<T>,
    private readonly logger: Logger,
  ) {}

  /** Runs every `intervalMs` from now on (the first run one interval from now); again is a no-op. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.tick(), this.settings.intervalMs);
    this.timer.unref();
  }

  /**
   * One run now, or the run already in flight: runs never overlap. Settles as that run does, so a
   * caller that asked for the run sees its result or its error.
   */
  runNow(): Promise<T> {
    this.running ??= this.runWork().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** No more runs; resolves once the run in flight, if any, has ended (its failure is not thrown). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** Async, so that work which throws before its first await still fails as a rejection. */
  private async runWork(): Promise<T> {
    return this.work();
  }

  private tick(): void {
    // A run still going when the interval comes round (a slow database) is left to finish alone.
    if (this.running !== undefined) return;
    this.runNow().then(
      () => {
        if (this.failing) this.logger.info({ task: this.settings.name }, `${this.settings.name} recovered`);
        this.failing = false;
      },
      (error: unknown) => {
        const level = this.settings.failureLevel ?? 'warn';
        if (!this.failing)
          this.logger[level]({ err: error, task: this.settings.name }, this.settings.failureMessage);
        this.failing = true;
      },
    );
  }
}
