import pino from 'pino';
import { PollLoop } from './poll-loop';

const silent = pino({ level: 'silent' });

/**
 * Lets everything happen that can without the clock moving: the fake work answers at once, so one
 * turn of the real event loop settles every promise the loop is waiting for.
 */
const settle = (): Promise<void> => jest.advanceTimersByTimeAsync(0);

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

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('PollLoop', () => {
  it('never has more items in flight than its concurrency, and claims no more than free slots', async () => {
    const work = new FakeWork(7);
    const loop = new PollLoop('test', { pollIntervalMs: 10_000, batchSize: 5, concurrency: 3 }, work, silent);
    loop.start();
    await settle();
    expect(work.started).toEqual([0, 1, 2]);
    expect(work.claims).toEqual([3]);

    // A finished item frees a slot, and the loop takes the next at once, not at the next poll.
    work.release(0);
    await settle();
    expect(work.started).toEqual([0, 1, 2, 3]);
    expect(work.inFlight).toBe(3);

    for (let item = 1; item < 7; item += 1) {
      expect(work.started).toContain(item);
      expect(work.inFlight).toBeLessThanOrEqual(3);
      work.release(item);
      await settle();
    }
    expect(work.finished).toHaveLength(7);
    expect(Math.max(...work.claims)).toBeLessThanOrEqual(3);
    await loop.stop();
  });

  it('does not claim again when an item finishes after a claim that came back short', async () => {
    const work = new FakeWork(2);
    const loop = new PollLoop('test', { pollIntervalMs: 60_000, batchSize: 5, concurrency: 5 }, work, silent);
    loop.start();
    await settle();
    expect(work.started).toEqual([0, 1]);
    expect(work.claims).toEqual([5]);

    work.release(0);
    work.release(1);
    await jest.advanceTimersByTimeAsync(59_999);
    expect(work.finished).toEqual([0, 1]);
    expect(work.claims).toEqual([5]);
    // The poll interval is the next reason to claim.
    await jest.advanceTimersByTimeAsync(1);
    expect(work.claims).toEqual([5, 5]);

    // New work still reaches it through a wake-up.
    work.queue.push(2);
    loop.wake();
    await settle();
    expect(work.started).toContain(2);
    expect(work.claims).toEqual([5, 5, 5]);
    work.release(2);
    await loop.stop();
  });

  it('stops polling on stop() and waits for the items in flight', async () => {
    const work = new FakeWork(2);
    const loop = new PollLoop('test', { pollIntervalMs: 10, batchSize: 10, concurrency: 10 }, work, silent);
    loop.start();
    await settle();
    expect(work.started).toEqual([0, 1]);
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await jest.advanceTimersByTimeAsync(100);
    expect(stopped).toBe(false);
    const claimsAtStop = work.claims.length;
    work.release(0);
    work.release(1);
    await settle();
    await stopping;
    expect(work.finished).toEqual([0, 1]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(work.claims).toHaveLength(claimsAtStop);
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
    // A failed claim waits for the next poll instead of trying again at once.
    await jest.advanceTimersByTimeAsync(4);
    expect(claims).toBe(1);
    expect(processed).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(processed).toEqual([2, 3]);
    await loop.stop();
  });

  it('claims at once when woken instead of waiting for the next poll', async () => {
    const work = new FakeWork(0);
    const loop = new PollLoop('test', { pollIntervalMs: 60_000, batchSize: 5, concurrency: 5 }, work, silent);
    loop.start();
    await settle();
    expect(work.claims).toHaveLength(1);

    work.queue.push(7);
    loop.wake();
    await settle();
    expect(work.started).toEqual([7]);
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
    await settle();
    expect(finishFirstClaim).toBeDefined();
    // The first claim's query ran before this work committed, so it came back empty.
    loop.wake();
    finishFirstClaim?.([]);
    await settle();
    expect(claimCount).toBe(2);
    await loop.stop();
    expect(claimCount).toBe(2);
  });

  it('processes handed-over items within its concurrency, before claiming anything new', async () => {
    const work = new FakeWork(4);
    const loop = new PollLoop('test', { pollIntervalMs: 60_000, batchSize: 5, concurrency: 2 }, work, silent);
    loop.start();
    await settle();
    expect(work.started).toEqual([0, 1]);
    loop.submit([100, 101, 102]);
    expect(work.inFlight).toBe(2);
    expect(loop.backlog).toBe(5);
    work.release(0);
    await settle();
    expect(work.started).toEqual([0, 1, 100]);
    expect(work.inFlight).toBe(2);
    work.release(1);
    await settle();
    expect(work.started).toEqual([0, 1, 100, 101]);
    const claimedBefore = work.claims.length;
    work.release(100);
    await settle();
    expect(work.started).toEqual([0, 1, 100, 101, 102]);
    expect(work.claims).toHaveLength(claimedBefore);
    for (const item of [101, 102]) work.release(item);
    await settle();
    expect(work.started).toEqual([0, 1, 100, 101, 102, 2, 3]);
    for (const item of [2, 3]) work.release(item);
    await loop.stop();
  });
});
