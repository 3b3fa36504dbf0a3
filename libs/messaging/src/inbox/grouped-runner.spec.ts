import { GroupedRunner } from './grouped-runner';

describe('GroupedRunner', () => {
  function recording(maxGroupSize = 10) {
    const groups: string[][] = [];
    let release: (() => void) | undefined;
    let hold = false;
    const runner = new GroupedRunner<string>(
      async (items) => {
        groups.push([...items]);
        if (hold) await new Promise<void>((resolve) => (release = resolve));
      },
      (item) => item.length,
      maxGroupSize,
    );
    return {
      runner,
      groups,
      holdNextGroup: () => (hold = true),
      releaseGroup: () => {
        hold = false;
        release?.();
      },
    };
  }

  it('runs an item alone at once', async () => {
    const { runner, groups } = recording();
    await runner.submit('a');
    expect(groups).toEqual([['a']]);
  });

  it('runs items submitted in the same turn as one group, in submission order', async () => {
    const { runner, groups } = recording();
    await Promise.all([runner.submit('a'), runner.submit('b'), runner.submit('c')]);
    expect(groups).toEqual([['a', 'b', 'c']]);
  });

  it('groups what arrives while a group runs into the next one', async () => {
    const { runner, groups, holdNextGroup, releaseGroup } = recording();
    holdNextGroup();
    const first = runner.submit('a');
    await new Promise((resolve) => setImmediate(resolve));
    expect(groups).toEqual([['a']]);
    const later = [runner.submit('b'), runner.submit('c')];
    await new Promise((resolve) => setImmediate(resolve));
    expect(groups).toEqual([['a']]);
    releaseGroup();
    await Promise.all([first, ...later]);
    expect(groups).toEqual([['a'], ['b', 'c']]);
  });

  it('caps a group by size, but always takes the first item however big', async () => {
    const { runner, groups } = recording(4);
    await Promise.all([
      runner.submit('aaaaaa'),
      runner.submit('bb'),
      runner.submit('cc'),
      runner.submit('d'),
    ]);
    expect(groups).toEqual([['aaaaaa'], ['bb', 'cc'], ['d']]);
  });

  it("settles every submission of a group with the group's outcome, and runs the next group", async () => {
    let calls = 0;
    const runner = new GroupedRunner<string>(
      async (items) => {
        calls += 1;
        if (items.includes('poison')) throw new Error('group failed');
      },
      () => 1,
      2,
    );
    const outcomes = await Promise.allSettled([
      runner.submit('a'),
      runner.submit('poison'),
      runner.submit('c'),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(calls).toBe(2);
  });
});
