import { jsonDeeperThan } from './json-depth';

const nested = (depth: number): unknown => JSON.parse(`${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`);

describe('jsonDeeperThan', () => {
  it('counts objects and arrays within each other, not scalars', () => {
    expect(jsonDeeperThan('text', 0)).toBe(false);
    expect(jsonDeeperThan(null, 0)).toBe(false);
    expect(jsonDeeperThan({}, 0)).toBe(true);
    expect(jsonDeeperThan({}, 1)).toBe(false);
    expect(jsonDeeperThan({ a: [1, { b: 2 }] }, 2)).toBe(true);
    expect(jsonDeeperThan({ a: [1, { b: 2 }] }, 3)).toBe(false);
  });

  it('measures the deepest branch, wherever it is', () => {
    const body = { checkoutId: 'co_1', orders: [{ amount: 1 }, { amount: 2, extra: [[[]]] }], buyer: {} };
    expect(jsonDeeperThan(body, 5)).toBe(true);
    expect(jsonDeeperThan(body, 6)).toBe(false);
  });

  it('measures a body far deeper than the stack would allow a recursive walk', () => {
    expect(jsonDeeperThan(nested(50_000), 32)).toBe(true);
    expect(jsonDeeperThan(nested(16), 32)).toBe(false);
  });
});
