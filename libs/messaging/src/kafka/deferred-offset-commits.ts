/** Commits whatever offsets the consumer has marked done and not yet committed. */
export type CommitMarkedOffsets = () => Promise<void>;

/**
 * Commits marked offsets at most once per interval instead of after every chunk. An offset commit
 * is a broker request and a write to the group's offsets log; a consumer that commits per chunk
 * sends one for every few records at moderate rates. Committing later is safe because the inbox
 * makes a redelivered event a no-op: what a crash or a rebalance redelivers is at most one interval
 * of already-applied events.
 *
 * An interval of 0 commits at once, as before. While stopping, every mark commits at once, so a
 * graceful stop leaves nothing to redeliver.
 */
export class DeferredOffsetCommits {
  private lastCommitMs = Number.NEGATIVE_INFINITY;
  private pending: CommitMarkedOffsets | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    private readonly intervalMs: number,
    /** Told of a commit the timer could not make; the offsets stay marked for the next one. */
    private readonly onTimerCommitFailed: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Called after offsets were marked done; `commit` commits every marked offset of the consumer. */
  async marked(commit: CommitMarkedOffsets): Promise<void> {
    this.pending = commit;
    if (this.stopping || this.now() - this.lastCommitMs >= this.intervalMs) {
      await this.commitPending();
      return;
    }
    if (this.timer === undefined) {
      const dueInMs = Math.max(0, this.lastCommitMs + this.intervalMs - this.now());
      // Unreferenced: offsets waiting to be committed must not by themselves keep a process alive.
      this.timer = setTimeout(() => this.commitOnTimer(), dueInMs).unref();
    }
  }

  /** Commits what is marked now, and from here on every mark at once. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.commitPending();
  }

  private commitOnTimer(): void {
    this.commitPending().catch((error: unknown) => this.onTimerCommitFailed(error));
  }

  private async commitPending(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const commit = this.pending;
    this.pending = undefined;
    if (commit === undefined) return;
    this.lastCommitMs = this.now();
    await commit();
  }
}
