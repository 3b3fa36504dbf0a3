import { cpuPercentOfOneCore, parseProcStatTicks } from './cpu';

describe('parseProcStatTicks', () => {
  it('adds utime and stime (fields 14 and 15), even when the command name holds spaces and parens', () => {
    const stat =
      '4242 (node (main) x) S 1 4242 4242 0 -1 4194560 12000 0 0 0 1500 250 0 0 20 0 11 0 123456 1000000 5000 18446744073709551615';
    expect(parseProcStatTicks(stat)).toBe(1_750);
  });

  it('refuses a line it cannot read', () => {
    expect(() => parseProcStatTicks('garbage')).toThrow(/unreadable/);
  });
});

describe('cpuPercentOfOneCore', () => {
  it('is ticks used over ticks available on one core', () => {
    expect(cpuPercentOfOneCore(1_000, 1_500, 10_000)).toBe(50);
    expect(cpuPercentOfOneCore(0, 3_000, 10_000)).toBe(300);
    expect(cpuPercentOfOneCore(5, 5, 0)).toBe(0);
  });
});
