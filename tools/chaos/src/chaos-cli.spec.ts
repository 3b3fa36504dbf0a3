import { parseChaosArguments } from './chaos-cli';

describe('parseChaosArguments', () => {
  it('defaults to the short profile, a random seed and no report', () => {
    expect(parseChaosArguments([])).toEqual({ profile: 'short', writeReport: false });
  });

  it('reads every flag', () => {
    expect(
      parseChaosArguments([
        '--profile',
        'long',
        '--seed',
        '42',
        '--break',
        'failover-on-unknown-outcome',
        '--write-report',
      ]),
    ).toEqual({ profile: 'long', seed: 42, breakName: 'failover-on-unknown-outcome', writeReport: true });
  });

  it.each([
    [['--profile', 'medium']],
    [['--seed', '-1']],
    [['--seed']],
    [['--break', 'disable-inbox']],
    [['--fast']],
  ])('refuses %j', (argv) => {
    expect(() => parseChaosArguments(argv)).toThrow();
  });
});
