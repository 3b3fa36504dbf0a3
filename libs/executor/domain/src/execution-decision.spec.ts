import {
  decideAfterCharge,
  decideAfterInquiry,
  decideOnSuccess,
  statusAfterDecision,
  type ExecutionOrderView,
} from './execution-decision';
import {
  assertValidExecutionPolicy,
  DEFAULT_EXECUTION_POLICY,
  type ExecutionPolicy,
} from './execution-policy';
import type { ChargeResult } from './execution-result';
import { PaymentOrderError } from './payment-order.error';

const policy: ExecutionPolicy = {
  chargeAttemptsMax: 3,
  retryInitialDelayMs: 1_000,
  retryMaxDelayMs: 8_000,
  inquiryInitialDelayMs: 500,
  inquiryMaxDelayMs: 4_000,
};
const noJitter = (): number => 1;
const amount = { amountMinor: 15_000n, currency: 'KRW' };
const success = { kind: 'succeeded', pspReference: 'ch_1', captured: amount } as const;
const underCaptured = { ...success, captured: { amountMinor: 1n, currency: 'KRW' } } as const;

/** The order as the decisions see it: its attempts and inquiries so far, for 15 000 KRW. */
function orderAt(attempts: number, inquiries: number): ExecutionOrderView {
  return { attempts, inquiries, ...amount };
}

describe('decideOnSuccess', () => {
  it('lets the order take a success that captured exactly its amount and currency', () => {
    expect(decideOnSuccess(amount, success, 'webhook')).toEqual({ kind: 'succeed', pspReference: 'ch_1' });
  });

  it.each([
    ['less', { amountMinor: 14_000n, currency: 'KRW' }],
    ['more', { amountMinor: 16_000n, currency: 'KRW' }],
    ['another currency', { amountMinor: 15_000n, currency: 'USD' }],
  ])('fails the order and refuses a charge that captured %s', (_, captured) => {
    expect(decideOnSuccess(amount, { ...success, captured }, 'inquiry')).toEqual({
      kind: 'fail',
      code: 'amount_mismatch',
      message: `the PSP captured ${captured.amountMinor} ${captured.currency}; the order is for 15000 KRW`,
      refusedCharge: { reason: 'amount_mismatch', pspReference: 'ch_1', captured, reportedBy: 'inquiry' },
    });
  });
});

describe('decideAfterCharge', () => {
  const first = orderAt(1, 0);

  it('ends the order on a business outcome', () => {
    expect(decideAfterCharge(success, first, policy)).toEqual({
      kind: 'succeed',
      pspReference: 'ch_1',
    });
    expect(
      decideAfterCharge(
        { kind: 'declined', code: 'insufficient_funds', message: 'No', pspReference: 'ch_1' },
        first,
        policy,
      ),
    ).toEqual({ kind: 'decline', code: 'insufficient_funds', message: 'No', pspReference: 'ch_1' });
    expect(decideAfterCharge({ kind: 'cancelled', pspReference: 'ch_1' }, first, policy)).toMatchObject({
      kind: 'fail',
      code: 'cancelled',
    });
    expect(decideAfterCharge({ kind: 'rejected', message: 'bad key' }, first, policy)).toEqual({
      kind: 'fail',
      code: 'psp_rejected_request',
      message: 'bad key',
    });
  });

  it('never lets an order take a success for another amount', () => {
    expect(decideAfterCharge(underCaptured, first, policy)).toMatchObject({
      kind: 'fail',
      code: 'amount_mismatch',
      refusedCharge: { pspReference: 'ch_1', captured: underCaptured.captured, reportedBy: 'charge' },
    });
  });

  it('charges again only when the PSP certainly did not charge, with growing delays', () => {
    const unavailable: ChargeResult = { kind: 'unavailable', message: '503' };
    expect(decideAfterCharge(unavailable, orderAt(1, 0), policy, noJitter)).toMatchObject({
      kind: 'retry',
      delayMs: 1_000,
    });
    expect(decideAfterCharge(unavailable, orderAt(2, 0), policy, noJitter)).toMatchObject({
      kind: 'retry',
      delayMs: 2_000,
    });
  });

  it('gives up as psp_unavailable after the last attempt', () => {
    expect(decideAfterCharge({ kind: 'unavailable', message: '503' }, orderAt(3, 0), policy)).toMatchObject({
      kind: 'fail',
      code: 'psp_unavailable',
    });
  });

  it('honours Retry-After up to the maximum delay', () => {
    const later = (retryAfterMs: number): ChargeResult => ({
      kind: 'unavailable',
      message: '429',
      retryAfterMs,
    });
    expect(decideAfterCharge(later(5_000), first, policy, noJitter)).toMatchObject({ delayMs: 5_000 });
    expect(decideAfterCharge(later(600_000), first, policy, noJitter)).toMatchObject({ delayMs: 8_000 });
    expect(decideAfterCharge(later(10), first, policy, noJitter)).toMatchObject({ delayMs: 1_000 });
  });

  it('resolves by inquiry whatever may have charged: timeout, 5xx, pending', () => {
    expect(
      decideAfterCharge({ kind: 'unknown_outcome', message: 'timeout' }, first, policy, noJitter),
    ).toMatchObject({
      kind: 'resolve',
      delayMs: 500,
    });
    expect(decideAfterCharge({ kind: 'pending', pspReference: 'ch_1' }, first, policy)).toMatchObject({
      kind: 'resolve',
    });
    // Even on the last attempt an unknown outcome is never given up as failed.
    expect(
      decideAfterCharge({ kind: 'unknown_outcome', message: 'timeout' }, orderAt(3, 0), policy),
    ).toMatchObject({ kind: 'resolve' });
  });
});

describe('decideAfterInquiry', () => {
  it('ends the order on what the PSP holds', () => {
    const counts = orderAt(1, 1);
    expect(decideAfterInquiry(success, counts, policy)).toMatchObject({
      kind: 'succeed',
    });
    expect(
      decideAfterInquiry({ kind: 'declined', code: 'do_not_honor', message: 'No' }, counts, policy),
    ).toEqual({ kind: 'decline', code: 'do_not_honor', message: 'No' });
  });

  it('never lets an order take a success for another amount', () => {
    expect(decideAfterInquiry(underCaptured, orderAt(1, 1), policy)).toMatchObject({
      kind: 'fail',
      code: 'amount_mismatch',
      refusedCharge: { pspReference: 'ch_1', captured: underCaptured.captured, reportedBy: 'inquiry' },
    });
  });

  it('charges again (same key) only when the PSP holds no charge, within the attempts', () => {
    expect(decideAfterInquiry({ kind: 'not_found' }, orderAt(1, 1), policy)).toMatchObject({
      kind: 'retry',
    });
    expect(decideAfterInquiry({ kind: 'not_found' }, orderAt(3, 1), policy)).toMatchObject({
      kind: 'fail',
      code: 'psp_unavailable',
    });
  });

  it('asks again, later each time, while pending or when the inquiry itself fails', () => {
    for (const result of [
      { kind: 'pending', pspReference: 'ch_1' },
      { kind: 'unavailable', message: '503' },
      { kind: 'unknown_outcome', message: 'timeout' },
      { kind: 'rejected', message: '401' },
    ] as const) {
      expect(decideAfterInquiry(result, orderAt(3, 1), policy, noJitter)).toMatchObject({
        kind: 'resolve',
        delayMs: 1_000,
      });
    }
    expect(
      decideAfterInquiry({ kind: 'pending', pspReference: 'ch_1' }, orderAt(1, 10), policy, noJitter),
    ).toMatchObject({ delayMs: 4_000 });
  });
});

describe('statusAfterDecision', () => {
  it('follows the transition table, keeping an unknown order unknown while resolving', () => {
    expect(statusAfterDecision('executing', { kind: 'resolve', delayMs: 1, reason: 'r' })).toBe('unknown');
    expect(statusAfterDecision('unknown', { kind: 'resolve', delayMs: 1, reason: 'r' })).toBe('unknown');
    expect(statusAfterDecision('unknown', { kind: 'retry', delayMs: 1, reason: 'r' })).toBe('created');
    expect(statusAfterDecision('executing', { kind: 'succeed', pspReference: 'p' })).toBe('succeeded');
    expect(() => statusAfterDecision('succeeded', { kind: 'decline', code: 'c', message: 'm' })).toThrow(
      PaymentOrderError,
    );
  });
});

describe('the execution policy', () => {
  it('accepts the default policy and refuses unusable limits', () => {
    expect(() => assertValidExecutionPolicy(DEFAULT_EXECUTION_POLICY)).not.toThrow();
    expect(() => assertValidExecutionPolicy({ ...policy, chargeAttemptsMax: 0 })).toThrow(PaymentOrderError);
    expect(() => assertValidExecutionPolicy({ ...policy, retryMaxDelayMs: 10 })).toThrow(PaymentOrderError);
    expect(() => assertValidExecutionPolicy({ ...policy, inquiryInitialDelayMs: 0 })).toThrow(
      PaymentOrderError,
    );
  });
});
