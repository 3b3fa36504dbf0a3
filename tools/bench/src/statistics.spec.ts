import { formatMs, percentile, summarise } from './statistics';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, index) => 100 - index);

  it('picks the value at rank ceil(p/100 × n) of the sorted values', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 99.9)).toBe(100);
    expect(percentile([7], 0)).toBe(7);
  });

  it('has no value for no samples', () => {
    expect(percentile([], 50)).toBeUndefined();
  });

  it('lets a missing completion (Infinity) become the tail', () => {
    expect(percentile([10, 20, Infinity], 99)).toBe(Infinity);
    expect(percentile([10, 20, Infinity], 50)).toBe(20);
  });
});

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
