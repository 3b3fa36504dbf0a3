import { checkCapture } from './capture-check';

const order = { amountMinor: 15_000n, currency: 'KRW' };

describe('checkCapture', () => {
  it('matches only the exact amount in the same currency', () => {
    expect(checkCapture(order, { amountMinor: 15_000n, currency: 'KRW' })).toEqual({ kind: 'matches' });
  });

  it.each([
    ['less', { amountMinor: 14_999n, currency: 'KRW' }],
    ['more', { amountMinor: 15_001n, currency: 'KRW' }],
    ['nothing', { amountMinor: 0n, currency: 'KRW' }],
    ['another currency', { amountMinor: 15_000n, currency: 'USD' }],
    ['a currency spelt otherwise', { amountMinor: 15_000n, currency: 'krw' }],
  ])('calls a capture of %s an amount mismatch, saying both amounts', (_, captured) => {
    expect(checkCapture(order, captured)).toEqual({
      kind: 'amount_mismatch',
      message: `the PSP captured ${captured.amountMinor} ${captured.currency}; the order is for 15000 KRW`,
    });
  });
});
