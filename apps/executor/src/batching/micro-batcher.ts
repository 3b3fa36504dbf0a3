import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@keel/observability';
import type { MicroBatcherSettings } from '../executor.settings';

interface Queued<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Queues items in memory and writes them in batches by one writer: while a batch is being written,
 * the items that arrive wait and go together in the next one, so the batch size follows the load
 * and a quiet system writes each item at once (or after `maxWaitMs`). `submit` settles when its
 * item's batch committed.
 */
export class MicroBatcher<T> {
  private readonly queue: Queued<T>[] = [];
  private writing = false;
  /** Ends the wait for a batch to fill early, once it is full. */
  private batchFilled: (() => void) | undefined;

  constructor(
    private readonly name: string,
    private readonly settings: MicroBatcherSettings,
    private readonly write: (items: readonly T[]) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.settings.batchSize) this.batchFilled?.();
      if (!this.writing) void this.drain();
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      // Only an idle batcher waits: during a write, arrivals gather by themselves.
      if (this.settings.maxWaitMs > 0 && this.queue.length < this.settings.batchSize) {
        await this.batchToFill();
      }
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.settings.batchSize);
        const error = await this.writeWithRetries(batch.map((queued) => queued.item));
        for (const queued of batch) {
          if (error === undefined) queued.resolve();
          else queued.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  /** Settles after maxWaitMs, or as soon as a batch is full. */
  private batchToFill(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.batchFilled?.(), this.settings.maxWaitMs);
      this.batchFilled = () => {
        clearTimeout(timer);
        this.batchFilled = undefined;
        resolve();
      };
    });
  }

  /** Undefined once written; the last error when every try failed. */
  private async writeWithRetries(items: readonly T[]): Promise<unknown> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.settings.writeAttemptsMax; attempt += 1) {
      try {
        await this.write(items);
        return undefined;
      } catch (error) {
        lastError = error;
        this.logger.warn(
          { err: error, batcher: this.name, items: items.length, attempt },
          'batch write failed; trying again',
        );
        if (attempt < this.settings.writeAttemptsMax) {
          await sleep(this.settings.retryDelayMs * attempt);
        }
      }
    }
    return lastError ?? new Error(`${this.name}: batch not written`);
  }
}
