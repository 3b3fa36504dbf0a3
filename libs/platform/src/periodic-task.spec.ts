import type { Logger } from '@keel/observability';
import { PeriodicTask, type PeriodicTaskSettings } from './periodic-task';

const INTERVAL_MS = 1_000;
const SETTINGS: PeriodicTaskSettings = {
  name: 'test-task',
  intervalMs: INTERVAL_MS,
  failureMessage: 'test task failed; the next run tries again',
};

/** Work whose runs end when the test says so. */
class ControlledWork {
  started = 0;
  private readonly ends: { resolve: (value: number) => void; reject: (error: Error) => void }[] = [];

  readonly run = (): Promise<number> => {
    this.started += 1;
    return new Promise((resolve, reject) => this.ends.push({ resolve, reject }));
  };

  finish(value: number): void {
    this.ends.shift()?.resolve(value);
  }

  fail(error: Error): void {
    this.ends.shift()?.reject(error);
  }
}

function fakeLogger(): Logger & { info: jest.Mock; warn: jest.Mock; error: jest.Mock } {
  return { info: jest.fn(), warn: jest.fn(), error: jest.fn() } as unknown as Logger & {
    info: jest.Mock;
    warn: jest.Mock;
    error: jest.Mock;
  };
}

describe('PeriodicTask', () => {
  let work: ControlledWork;
  let logger: ReturnType<typeof fakeLogger>;
  let task: PeriodicTask<number>;

  beforeEach(() => {
    jest.useFakeTimers();
    work = new ControlledWork();
    logger = fakeLogger();
    task = new PeriodicTask(SETTINGS, work.run, logger);
  });

  afterEach(async () => {
    await jest.runOnlyPendingTimersAsync();
    jest.useRealTimers();
  });

  it('runs once per interval from one interval after start, never at once', async () => {
    task.start();
    expect(work.started).toBe(0);
    await jest.advanceTimersByTimeAsync(INTERVAL_MS - 1);
    expect(work.started).toBe(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(work.started).toBe(1);
    work.finish(1);
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(work.started).toBe(2);
    work.finish(2);
    await task.stop();
  });

  it('never overlaps runs: an interval that comes round during a run starts none, then or later', async () => {
    task.start();
    await jest.advanceTimersByTimeAsync(INTERVAL_MS * 4);
    expect(work.started).toBe(1);
    work.finish(1);
    // The intervals skipped during the run are not made up for once it has ended.
    await jest.advanceTimersByTimeAsync(INTERVAL_MS - 1);
    expect(work.started).toBe(1);
    await task.stop();
  });

  it('joins the run in flight when asked for one, and hands its result to the caller', async () => {
    task.start();
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    const asked = task.runNow();
    expect(work.started).toBe(1);
    work.finish(42);
    await expect(asked).resolves.toBe(42);
    const again = task.runNow();
    expect(work.started).toBe(2);
    work.finish(7);
    await expect(again).resolves.toBe(7);
    await task.stop();
  });

  it('logs a failed run at the configured level, throws nothing, and runs again at the next interval', async () => {
    const loud = new PeriodicTask({ ...SETTINGS, failureLevel: 'error' }, work.run, logger);
    loud.start();
    // Intervals that came round during the run neither join it nor log its failure again.
    await jest.advanceTimersByTimeAsync(INTERVAL_MS * 3);
    const failure = new Error('database unreachable');
    work.fail(failure);
    await jest.advanceTimersByTimeAsync(0);
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error).toHaveBeenCalledWith({ err: failure, task: 'test-task' }, SETTINGS.failureMessage);
    expect(logger.warn).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(work.started).toBe(2);
    work.finish(2);
    await loud.stop();
  });

  it('logs at warn by default, and leaves the failure of a run asked for to its caller', async () => {
    const failing = new PeriodicTask(SETTINGS, () => Promise.reject(new Error('boom')), logger);
    await expect(failing.runNow()).rejects.toThrow('boom');
    expect(logger.warn).not.toHaveBeenCalled();
    failing.start();
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(logger.warn).toHaveBeenCalledWith(
      { err: new Error('boom'), task: 'test-task' },
      SETTINGS.failureMessage,
    );
    await failing.stop();
  });

  it('logs the first failure of a streak only, and the recovery once a run succeeds again', async () => {
    let fails = true;
    const flaky = new PeriodicTask(
      SETTINGS,
      () => (fails ? Promise.reject(new Error('down')) : Promise.resolve()),
      logger,
    );
    flaky.start();
    await jest.advanceTimersByTimeAsync(INTERVAL_MS * 3);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.info).not.toHaveBeenCalled();
    fails = false;
    await jest.advanceTimersByTimeAsync(INTERVAL_MS * 2);
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith({ task: 'test-task' }, 'test-task recovered');
    fails = true;
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    await flaky.stop();
  });

  it('turns work that throws before its first await into a logged failure', async () => {
    const throwing = new PeriodicTask(
      SETTINGS,
      () => {
        throw new Error('synchronous');
      },
      logger,
    );
    throwing.start();
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    await throwing.stop();
  });

  it('stops: waits for the run in flight, starts no other, and does not throw its failure', async () => {
    task.start();
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);
    let stopped = false;
    const stopping = task.stop().then(() => {
      stopped = true;
    });
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    work.fail(new Error('cut short'));
    await stopping;
    expect(stopped).toBe(true);
    await jest.advanceTimersByTimeAsync(INTERVAL_MS * 5);
    expect(work.started).toBe(1);
  });

  it('keeps no process alive on its own: its timer is unref’d', async () => {
    const setIntervalSpy = jest.spyOn(globalThis, 'setInterval');
    task.start();
    const timer = setIntervalSpy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    await task.stop();
  });
});
