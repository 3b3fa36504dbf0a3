import { countsAsBreakerFailure } from './breaker-policy';

describe('countsAsBreakerFailure', () => {
  it('counts refusals, 429/503, timeouts and 5xx', () => {
    expect(countsAsBreakerFailure({ kind: 'unavailable', message: 'ECONNREFUSED' })).toBe(true);
    expect(countsAsBreakerFailure({ kind: 'unavailable', message: '429', retryAfterMs: 1_000 })).toBe(true);
    expect(countsAsBreakerFailure({ kind: 'unknown_outcome', message: 'timeout' })).toBe(true);
  });

  it('never counts declines, successes, pending charges or our own rejected requests', () => {
    expect(countsAsBreakerFailure({ kind: 'declined', code: 'insufficient_funds', message: 'no' })).toBe(
      false,
    );
    expect(
      countsAsBreakerFailure({
        kind: 'succeeded',
        pspReference: 'ch_1',
        captured: { amountMinor: 100n, currency: 'KRW' },
      }),
    ).toBe(false);
    expect(countsAsBreakerFailure({ kind: 'pending', pspReference: 'ch_1' })).toBe(false);
    expect(countsAsBreakerFailure({ kind: 'cancelled', pspReference: 'ch_1' })).toBe(false);
    expect(countsAsBreakerFailure({ kind: 'rejected', message: 'bad key' })).toBe(false);
  });
});
