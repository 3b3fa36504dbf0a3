interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Runs submitted items in groups, one group at a time: items submitted while a group runs, or in
 * the same turn of the event loop, form the next group (a group commit). Nothing waits for a group
 * to fill, so an item alone is run at once; under load, groups grow by themselves. A group holds at
 * least one item and, beyond the first, no more than `maxGroupSize` as counted by `sizeOf`. Each
 * submission settles as its group does.
 */
export class GroupedRunner<T> {
  private readonly waiting: Waiting<T>[] = [];
  private running = false;

  constructor(
    private readonly runGroup: (items: readonly T[]) => Promise<void>,
    private readonly sizeOf: (item: T) => number,
    private readonly maxGroupSize: number,
  ) {}

  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        // Batches of one fetch are handed over in the same turn: let them all join this group.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const group = this.nextGroup();
        try {
          await this.runGroup(group.map((waiting) => waiting.item));
          for (const waiting of group) waiting.resolve();
        } catch (error) {
          for (const waiting of group) waiting.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private nextGroup(): Waiting<T>[] {
    let size = 0;
    let count = 0;
    for (const waiting of this.waiting) {
      const itemSize = this.sizeOf(waiting.item);
      if (count > 0 && size + itemSize > this.maxGroupSize) break;
      size += itemSize;
      count += 1;
    }
    return this.waiting.splice(0, count);
  }
}
