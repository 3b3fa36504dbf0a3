import { formatMs, summarise } from './statistics';

describe('summarise / formatMs', () => {
  it('reports count, p50, p99, p99.9 and max', () => {
    expect(summarise([3, 1, 2])).toEqual({ count: 3, p50Ms: 2, p99Ms: 3, p999Ms: 3, maxMs: 3 });
  });

  it('formats whole milliseconds, n/a and never', () => {
    expect([formatMs(12.6), formatMs(undefined), formatMs(Infinity), formatMs(null)]).toEqual([
      '13',
      'n/a',
      '∞',
      '∞',
    ]);
  });
});
