import pino from 'pino';
import { waitFor } from '@keel/testing';
import { PollLoop } from './poll-loop';

const silent = pino({ level: 'silent' });

/** A queue of work items whose processing finishes when the test says so. */
class FakeWork {
  readonly queue: number[];
  readonly claims: number[] = [];
  readonly started: number[] = [];
  readonly finished: number[] = [];
  private readonly releases = new Map<number, () => void>();

  constructor(count: number) {
    this.queue = Array.from({ length: count }, (_, index) => index);
  }

  claim(limit: number): Promise<number[]> {
    this.claims.push(limit);
    return Promise.resolve(this.queue.splice(0, limit));
  }

  process(item: number): Promise<void> {
    this.started.push(item);
    return new Promise((resolve) => {
      this.releases.set(item, () => {
        this.finished.push(item);
        resolve();
      });
    });
  }

  release(item: number): void {
    this.releases.get(item)?.();
  }

  get inFlight(): number {
    return this.started.length - this.finished.length;
  }
}

describe('PollLoop', () => {
  it('never has more items in flight than its concurrency, and claims no more than free slots', async () => {
    const work = new FakeWork(7);
    const loop = new PollLoop('test', { pollIntervalMs: 10_000, batchSize: 5, concurrency: 3 }, work, silent);
    loop.start();
    await waitFor(() => work.started.length === 3, { description: 'three started' });
    expect(work.inFlight).toBe(3);
    expect(Math.max(...work.claims)).toBeLessThanOrEqual(3);

    // A finished item frees a slot, and the loop takes the next at once, not at the next poll.
    work.release(0);
    await waitFor(() => work.started.length === 4, { description: 'a fourth started' });
    expect(work.inFlight).toBe(3);

    for (let item = 1; item < 7; item += 1) {
      await waitFor(() => work.started.includes(item), { description: `item ${item} started` });
      expect(work.inFlight).toBeLessThanOrEqual(3);
      work.release(item);
    }
    expect(work.finished).toHaveLength(7);
    expect(Math.max(...work.claims)).toBeLessThanOrEqual(3);
    await loop.stop();
  });

  it('does not claim again when an item finishes after a claim that came back short', async () => {
    const work = new FakeWork(2);
    const loop = new PollLoop('test', { pollIntervalMs: 60_000, batchSize: 5, concurrency: 5 }, work, silent);
    loop.start();
    await waitFor(() => work.started.length === 2, { description: 'both started' });
    expect(work.claims).toEqual([5]);

    work.release(0);
    work.release(1);
    await waitFor(() => work.finished.length === 2, { description: 'both finished' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(work.claims).toEqual([5]);

    // New work still reaches it through a wake-up.
    work.queue.push(2);
    loop.wake();
    await waitFor(() => work.started.includes(2), { description: 'item 2 after the wake-up' });
    expect(work.claims).toEqual([5, 5]);
    work.release(2);
    await loop.stop();
  });

  it('stops polling on stop() and waits for the items in flight', async () => {
    const work = new FakeWork(2);
    const loop = new PollLoop('test', { pollIntervalMs: 10, batchSize: 10, concurrency: 10 }, work, silent);
    loop.start();
    await waitFor(() => work.started.length === 2, { description: 'both started' });
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    work.release(0);
    work.release(1);
    await stopping;
    expect(work.finished).toEqual([0, 1]);
    const claimsAtStop = work.claims.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(work.claims.length).toBe(claimsAtStop);
  });

  it('keeps polling after a failed claim or a failed item', async () => {
    let claims = 0;
    const processed: number[] = [];
    const loop = new PollLoop(
      'test',
      { pollIntervalMs: 5, batchSize: 1, concurrency: 1 },
      {
        claim: () => {
          claims += 1;
          if (claims === 1) return Promise.reject(new Error('database down'));
          return Promise.resolve(claims <= 3 ? [claims] : []);
        },
        process: (item) => {
          processed.push(item);
          return item === 2 ? Promise.reject(new Error('boom')) : Promise.resolve();
        },
      },
      silent,
    );
    loop.start();
    await waitFor(() => processed.length === 2, { description: 'two items after a failed claim' });
    await loop.stop();
    expect(processed).toEqual([2, 3]);
  });

  it('claims at once when woken instead of waiting for the next poll', async () => {
    const work = new FakeWork(0);
    const loop = new PollLoop('test', { pollIntervalMs: 60_000, batchSize: 5, concurrency: 5 }, work, silent);
    loop.start();
    await waitFor(() => work.claims.length === 1, { description: 'the first, empty claim' });

    work.queue.push(7);
    loop.wake();
    await waitFor(() => work.started.includes(7), { description: 'the woken loop to take item 7' });
    expect(work.claims).toHaveLength(2);
    work.release(7);
    await loop.stop();
  });

  it('claims again when a wake-up arrives while a claim is running', async () => {
    let claimCount = 0;
    let finishFirstClaim: ((items: number[]) => void) | undefined;
    const loop = new PollLoop(
      'test',
      { pollIntervalMs: 60_000, batchSize: 5, concurrency: 5 },
      {
        claim: () => {
          claimCount += 1;
          if (claimCount === 1) return new Promise<number[]>((resolve) => (finishFirstClaim = resolve));
          return Promise.resolve([]);
        },
        process: () => Promise.resolve(),
      },
      silent,
    );
    loop.start();
    await waitFor(() => finishFirstClaim !== undefined, { description: 'the first claim to start' });
    // The first claim's query ran before this work committed, so it came back empty.
    loop.wake();
    finishFirstClaim?.([]);
    await waitFor(() => claimCount === 2, { description: 'a second claim without waiting a poll interval' });
    await loop.stop();
    expect(claimCount).toBe(2);
  });

  it('processes handed-over items within its concurrency, before claiming anything new', async () => {
    const work = new FakeWork(4);
    const loop = new PollLoop('test', { pollIntervalMs: 60_000, batchSize: 5, concurrency: 2 }, work, silent);
    loop.start();
    await waitFor(() => work.started.length === 2, { description: 'two claimed items started' });
    loop.submit([100, 101, 102]);
    expect(work.inFlight).toBe(2);
    expect(loop.backlog).toBe(5);
    work.release(0);
    await waitFor(() => work.started.includes(100), { description: 'a handed-over item in the freed slot' });
    expect(work.inFlight).toBe(2);
    work.release(1);
    await waitFor(() => work.started.includes(101), { description: 'the next handed-over item' });
    const claimedBefore = work.claims.length;
    work.release(100);
    await waitFor(() => work.started.includes(102), { description: 'the last handed-over item' });
    expect(work.claims).toHaveLength(claimedBefore);
    for (const item of [101, 102]) work.release(item);
    await waitFor(() => work.started.length === 7, { description: 'the claimed rest after the handed-over' });
    for (const item of [2, 3]) work.release(item);
    await loop.stop();
  });
});
