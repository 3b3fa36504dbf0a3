import { canonicalJson, requestHashOf } from './request-hash.util';

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,1]},"b":1}');
  });

  it('writes scalars as JSON does and escapes keys and strings', () => {
    expect(canonicalJson({ 'k"y': 'v\n', n: null, t: true, f: 1.5 })).toBe(
      '{"f":1.5,"k\\"y":"v\\n","n":null,"t":true}',
    );
  });

  it('leaves out undefined members, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });
});

describe('requestHashOf', () => {
  const body = { checkoutId: 'c-1', orders: [{ sellerId: 's-1', amount: 100 }], currency: 'KRW' };

  it('is the SHA-256 of the canonical JSON, in hex', () => {
    expect(requestHashOf({ a: 1 })).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });

  it('is the same for the same body with keys in another order', () => {
    const reordered = { currency: 'KRW', orders: [{ amount: 100, sellerId: 's-1' }], checkoutId: 'c-1' };
    expect(requestHashOf(reordered)).toBe(requestHashOf(body));
  });

  it.each([
    ['another amount', { ...body, orders: [{ sellerId: 's-1', amount: 101 }] }],
    ['an amount as a string', { ...body, orders: [{ sellerId: 's-1', amount: '100' }] }],
    ['orders in another order', { ...body, orders: [{ sellerId: 's-2', amount: 1 }, ...body.orders] }],
    ['an extra member', { ...body, extra: null }],
  ])('differs for %s', (_name, other) => {
    expect(requestHashOf(other)).not.toBe(requestHashOf(body));
  });
});
