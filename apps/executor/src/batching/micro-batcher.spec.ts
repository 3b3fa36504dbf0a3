import pino from 'pino';
import { MicroBatcher } from './micro-batcher';

const silent = pino({ level: 'silent' });
const settings = { batchSize: 3, writeAttemptsMax: 2, retryDelayMs: 1, maxWaitMs: 0 };

/** A batcher that records each batch it writes. */
function recordingBatcher(overrides: Partial<typeof settings> = {}): {
  batcher: MicroBatcher<number>;
  batches: number[][];
} {
  const batches: number[][] = [];
  const batcher = new MicroBatcher<number>(
    'test',
    { ...settings, ...overrides },
    (items) => {
      batches.push([...items]);
      return Promise.resolve();
    },
    silent,
  );
  return { batcher, batches };
}

/** A batcher whose first `failures` writes fail with `message`; `writes()` counts every try. */
function failingBatcher(
  failures: number,
  message: string,
): { batcher: MicroBatcher<number>; writes: () => number } {
  let writes = 0;
  const batcher = new MicroBatcher<number>(
    'test',
    settings,
    () => {
      writes += 1;
      return writes <= failures ? Promise.reject(new Error(message)) : Promise.resolve();
    },
    silent,
  );
  return { batcher, writes: () => writes };
}

describe('MicroBatcher', () => {
  it('writes what arrived during a write together in the next batch, at most batchSize at once', async () => {
    const batches: number[][] = [];
    let releaseFirst: () => void = () => undefined;
    const firstWritten = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const batcher = new MicroBatcher<number>(
      'test',
      settings,
      async (items) => {
        batches.push([...items]);
        if (batches.length === 1) await firstWritten;
      },
      silent,
    );
    const submitted = [batcher.submit(1)];
    for (const item of [2, 3, 4, 5, 6]) submitted.push(batcher.submit(item));
    expect(batcher.pending).toBe(5);
    releaseFirst();
    await Promise.all(submitted);
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('tries a failed batch again, then rejects each of its items with the last error', async () => {
    const { batcher, writes } = failingBatcher(Infinity, 'database down');
    await expect(batcher.submit(1)).rejects.toThrow('database down');
    expect(writes()).toBe(settings.writeAttemptsMax);
  });

  it('settles an item once its batch is written after a failed try', async () => {
    const { batcher, writes } = failingBatcher(1, 'serialization failure');
    await expect(batcher.submit(1)).resolves.toBeUndefined();
    expect(writes()).toBe(2);
  });

  it('lets the first item of an idle batcher wait up to maxWaitMs for others', async () => {
    jest.useFakeTimers();
    try {
      const { batcher, batches } = recordingBatcher({ batchSize: 10, maxWaitMs: 30 });
      const first = batcher.submit(1);
      await jest.advanceTimersByTimeAsync(29);
      expect(batches).toEqual([]);
      const second = batcher.submit(2);
      await jest.advanceTimersByTimeAsync(1);
      expect(batches).toEqual([[1, 2]]);
      await Promise.all([first, second]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('writes at once when a batch fills before maxWaitMs', async () => {
    const { batcher, batches } = recordingBatcher({ maxWaitMs: 60_000 });
    await Promise.all([1, 2, 3].map((item) => batcher.submit(item)));
    expect(batches).toEqual([[1, 2, 3]]);
  });
});
