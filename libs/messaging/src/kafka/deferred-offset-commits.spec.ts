import { DeferredOffsetCommits } from './deferred-offset-commits';

describe('DeferredOffsetCommits', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  function counted() {
    const commits: number[] = [];
    const commit = jest.fn(async () => {
      commits.push(Date.now());
    });
    return { commits, commit };
  }

  it('commits after every mark when the interval is 0', async () => {
    const offsets = new DeferredOffsetCommits(0, jest.fn());
    const { commit } = counted();
    await offsets.marked(commit);
    await offsets.marked(commit);
    await offsets.marked(commit);
    expect(commit).toHaveBeenCalledTimes(3);
  });

  it('commits the first mark at once, then at most once per interval, the last marks on the timer', async () => {
    const offsets = new DeferredOffsetCommits(500, jest.fn());
    const { commits, commit } = counted();
    await offsets.marked(commit);
    expect(commits).toEqual([1_000_000]);

    for (let elapsed = 0; elapsed < 400; elapsed += 100) {
      await jest.advanceTimersByTimeAsync(100);
      await offsets.marked(commit);
    }
    expect(commits).toEqual([1_000_000]);

    await jest.advanceTimersByTimeAsync(99);
    expect(commits).toEqual([1_000_000]);
    await jest.advanceTimersByTimeAsync(1);
    expect(commits).toEqual([1_000_000, 1_000_500]);

    // Nothing marked since: the timer is not armed again.
    await jest.advanceTimersByTimeAsync(5_000);
    expect(commits).toEqual([1_000_000, 1_000_500]);
  });

  it('commits what is marked when it stops, and every later mark at once', async () => {
    const offsets = new DeferredOffsetCommits(500, jest.fn());
    const { commits, commit } = counted();
    await offsets.marked(commit);
    await jest.advanceTimersByTimeAsync(10);
    await offsets.marked(commit);
    expect(commits).toHaveLength(1);

    await offsets.stop();
    expect(commits).toEqual([1_000_000, 1_000_010]);
    await offsets.marked(commit);
    expect(commits).toEqual([1_000_000, 1_000_010, 1_000_010]);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(commits).toHaveLength(3);
  });

  it('has nothing to commit when it stops with nothing marked', async () => {
    const offsets = new DeferredOffsetCommits(500, jest.fn());
    const { commit } = counted();
    await offsets.stop();
    expect(commit).not.toHaveBeenCalled();
  });

  it('reports a commit the timer could not make; the next mark commits an interval later', async () => {
    const failed = jest.fn();
    const offsets = new DeferredOffsetCommits(500, failed);
    const { commits, commit } = counted();
    await offsets.marked(commit);
    const refused = jest.fn(async () => {
      throw new Error('REBALANCE_IN_PROGRESS');
    });
    await offsets.marked(refused);
    await jest.advanceTimersByTimeAsync(500);
    expect(refused).toHaveBeenCalledTimes(1);
    expect(failed).toHaveBeenCalledWith(expect.objectContaining({ message: 'REBALANCE_IN_PROGRESS' }));

    await offsets.marked(commit);
    expect(commits).toEqual([1_000_000]);
    await jest.advanceTimersByTimeAsync(500);
    expect(commits).toEqual([1_000_000, 1_001_000]);
  });

  it('leaves an error of a commit made on a mark to the caller', async () => {
    const offsets = new DeferredOffsetCommits(500, jest.fn());
    await expect(
      offsets.marked(async () => {
        throw new Error('coordinator not available');
      }),
    ).rejects.toThrow('coordinator not available');
  });
});
