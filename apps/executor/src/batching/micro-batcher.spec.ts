import pino from 'pino';
import { MicroBatcher } from './micro-batcher';

const silent = pino({ level: 'silent' });
const settings = { batchSize: 3, writeAttemptsMax: 2, retryDelayMs: 1, maxWaitMs: 0 };

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
    let writes = 0;
    const batcher = new MicroBatcher<number>(
      'test',
      settings,
      () => {
        writes += 1;
        return Promise.reject(new Error('database down'));
      },
      silent,
    );
    await expect(batcher.submit(1)).rejects.toThrow('database down');
    expect(writes).toBe(settings.writeAttemptsMax);
  });

  it('settles an item once its batch is written after a failed try', async () => {
    let writes = 0;
    const batcher = new MicroBatcher<number>(
      'test',
      settings,
      () => {
        writes += 1;
        return writes === 1 ? Promise.reject(new Error('serialization failure')) : Promise.resolve();
      },
      silent,
    );
    await expect(batcher.submit(1)).resolves.toBeUndefined();
    expect(writes).toBe(2);
  });

  it('lets the first item of an idle batcher wait up to maxWaitMs for others', async () => {
    jest.useFakeTimers();
    try {
      const batches: number[][] = [];
      const batcher = new MicroBatcher<number>(
        'test',
        { ...settings, batchSize: 10, maxWaitMs: 30 },
        (items) => {
          batches.push([...items]);
          return Promise.resolve();
        },
        silent,
      );
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
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number>(
      'test',
      { ...settings, maxWaitMs: 60_000 },
      (items) => {
        batches.push([...items]);
        return Promise.resolve();
      },
      silent,
    );
    await Promise.all([1, 2, 3].map((item) => batcher.submit(item)));
    expect(batches).toEqual([[1, 2, 3]]);
  });
});
