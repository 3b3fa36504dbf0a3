import { percentile } from './percentile';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, index) => 100 - index);

  it('picks the value at rank ceil(p/100 × n) of the sorted values', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 99.9)).toBe(100);
    expect(percentile([7], 0)).toBe(7);
  });

  it('takes the lower middle value of an even count as its median', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2);
  });

  it('has no value for no samples', () => {
    expect(percentile([], 50)).toBeUndefined();
  });

  it('lets a missing completion (Infinity) become the tail', () => {
    expect(percentile([10, 20, Infinity], 99)).toBe(Infinity);
    expect(percentile([10, 20, Infinity], 50)).toBe(20);
  });
});
