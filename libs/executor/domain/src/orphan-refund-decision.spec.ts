import { decideAfterRefundFailure, orphanRefundKeyOf } from './orphan-refund-decision';

const policy = { attemptsMax: 3, retryInitialDelayMs: 1_000, retryMaxDelayMs: 4_000 };

describe('decideAfterRefundFailure', () => {
  it('retries with growing, bounded backoff until the attempts run out', () => {
    const top = () => 0.999_999;
    expect(decideAfterRefundFailure(1, false, policy, top)).toEqual({ kind: 'retry', delayMs: 999 });
    expect(decideAfterRefundFailure(2, false, policy, top)).toEqual({ kind: 'retry', delayMs: 1_999 });
    expect(decideAfterRefundFailure(3, false, policy, top)).toEqual({ kind: 'give_up' });
    const long = { ...policy, attemptsMax: 10 };
    expect(decideAfterRefundFailure(8, false, long, top)).toEqual({ kind: 'retry', delayMs: 3_999 });
  });

  it('keeps at least half the delay, so a retry never comes back at once', () => {
    const decision = decideAfterRefundFailure(1, false, policy, () => 0);
    expect(decision).toEqual({ kind: 'retry', delayMs: 500 });
  });

  it('gives up at once on a refund the PSP rejects as invalid', () => {
    expect(decideAfterRefundFailure(1, true, policy)).toEqual({ kind: 'give_up' });
  });
});

describe('orphanRefundKeyOf', () => {
  it('names the order and the charge', () => {
    expect(orphanRefundKeyOf('po_1', 'ch_9')).toBe('refund:po_1:ch_9');
  });
});
