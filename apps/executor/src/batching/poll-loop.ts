import type { Logger } from '@keel/observability';
import type { PollLoopSettings } from '../executor.settings';

export interface PollLoopWork<T> {
  /** Claims at most `limit` items in a short transaction; they are this process's until processed. */
  claim(limit: number): Promise<readonly T[]>;
  /** Processes one claimed item; an error is logged, and the item's lease brings it back. */
  process(item: T): Promise<void>;
}

/**
 * Polls for work and processes it with bounded concurrency: it claims only as many items as it
 * has free slots, so nothing claimed waits in memory, and it polls again at once while the last
 * claim came back full, when a slot frees up after a full claim (work may have been left behind
 * for want of a slot), or when `wake()` says new work was committed. The interval stays as the
 * fallback: a wake-up is a hint, and work committed elsewhere is found at the next poll.
 * `stop()` ends polling and waits for the items in flight.
 */
export class PollLoop<T> {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  /** Items claimed elsewhere and handed over, waiting for a slot; they go before any new claim. */
  private readonly handedOver: T[] = [];
  private endPause: (() => void) | undefined;
  /** A wake-up that came while a claim ran: that claim may have missed the work, so claim again. */
  private wakeRequested = false;
  /** The last claim took all it could: more may be due, so a freed slot is a reason to claim again. */
  private claimedToLimit = false;

  constructor(
    private readonly name: string,
    private readonly settings: PollLoopSettings,
    private readonly work: PollLoopWork<T>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** New work was committed: claim now instead of at the next poll. */
  wake(): void {
    this.wakeRequested = true;
    this.endPause?.();
  }

  /**
   * Items already claimed by someone else (the transaction that stored them): processed as slots
   * free up, without a claim of their own. Not started once stopped; their leases bring them back.
   */
  submit(items: readonly T[]): void {
    this.handedOver.push(...items);
    this.startHandedOver();
  }

  /** Items in flight or waiting for a slot. */
  get backlog(): number {
    return this.inFlight.size + this.handedOver.length;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.endPause?.();
    await this.loop;
    this.loop = undefined;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.wakeRequested = false;
      const freeSlots = this.settings.concurrency - this.backlog;
      const limit = Math.min(this.settings.batchSize, freeSlots);
      const claimed = limit > 0 ? await this.claim(limit) : 0;
      this.claimedToLimit = claimed === limit;
      // A full claim suggests more is due: go again at once unless every slot is busy.
      if (claimed === 0 || claimed < limit || this.inFlight.size >= this.settings.concurrency) {
        await this.pause(this.settings.pollIntervalMs);
      }
    }
    await Promise.allSettled([...this.inFlight]);
  }

  private async claim(limit: number): Promise<number> {
    let items: readonly T[];
    try {
      items = await this.work.claim(limit);
    } catch (error) {
      this.logger.error({ err: error, loop: this.name }, 'claim failed; polling again later');
      return 0;
    }
    for (const item of items) this.startOne(item);
    return items.length;
  }

  private startHandedOver(): void {
    while (this.running && this.inFlight.size < this.settings.concurrency) {
      const item = this.handedOver.shift();
      if (item === undefined) return;
      this.startOne(item);
    }
  }

  private startOne(item: T): void {
    const task: Promise<void> = this.work
      .process(item)
      .catch((error: unknown) => this.logger.error({ err: error, loop: this.name }, 'processing failed'))
      .finally(() => {
        this.inFlight.delete(task);
        this.startHandedOver();
        // After a claim that came back short nothing is waiting for this slot: an empty claim
        // per processed item would only cost a transaction.
        if (this.claimedToLimit && this.handedOver.length === 0) this.endPause?.();
      });
    this.inFlight.add(task);
  }

  /** Waits `ms`, or less if stopped, woken, or a slot frees up. */
  private pause(ms: number): Promise<void> {
    if (this.wakeRequested || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.endPause = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.endPause = done;
    });
  }
}
