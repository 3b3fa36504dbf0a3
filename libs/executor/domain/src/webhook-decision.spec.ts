import {
  decideOnWebhook,
  isOrphanCharge,
  type WebhookNotice,
  type WebhookOrderView,
} from './webhook-decision';

function event(change: WebhookNotice['change'], pspId = 'acme'): WebhookNotice {
  return { pspId, pspReference: 'ch_1', change };
}

const captured = { amountMinor: 15_000n, currency: 'KRW' };
const succeeded = event({ kind: 'charge', outcome: { kind: 'succeeded', pspReference: 'ch_1', captured } });

/** A success notice for the order's charge that says the PSP captured `amount`. */
function succeededFor(amount: { amountMinor: bigint; currency: string }): WebhookNotice {
  return event({ kind: 'charge', outcome: { kind: 'succeeded', pspReference: 'ch_1', captured: amount } });
}
const declined = event({
  kind: 'charge',
  outcome: {
    kind: 'declined',
    code: 'insufficient_funds',
    message: 'Insufficient funds',
  },
});

function order(status: WebhookOrderView['status'], extra: Partial<WebhookOrderView> = {}): WebhookOrderView {
  return { status, pspId: 'acme', amountMinor: 15_000n, currency: 'KRW', ...extra };
}

describe('decideOnWebhook', () => {
  it.each(['executing', 'unknown'] as const)('completes an order in %s with a success', (status) => {
    expect(decideOnWebhook(order(status), succeeded)).toEqual({
      kind: 'apply',
      decision: { kind: 'succeed', pspReference: 'ch_1' },
    });
  });

  it.each([
    ['executing', { amountMinor: 14_000n, currency: 'KRW' }],
    ['unknown', { amountMinor: 16_000n, currency: 'KRW' }],
    ['unknown', { amountMinor: 15_000n, currency: 'USD' }],
  ] as const)(
    'never completes an order in %s with a success for %p: it fails and the charge is refused',
    (status, amount) => {
      expect(decideOnWebhook(order(status), succeededFor(amount))).toEqual({
        kind: 'amount_mismatch',
        decision: {
          kind: 'fail',
          code: 'amount_mismatch',
          message: `the PSP captured ${amount.amountMinor} ${amount.currency}; the order is for 15000 KRW`,
          refusedCharge: {
            reason: 'amount_mismatch',
            pspReference: 'ch_1',
            captured: amount,
            reportedBy: 'webhook',
          },
        },
      });
    },
  );

  it('refunds what the PSP captured when the charge is an orphan, whatever the amount', () => {
    const less = { amountMinor: 1n, currency: 'KRW' };
    expect(decideOnWebhook(order('failed'), succeededFor(less))).toEqual({ kind: 'orphan', captured: less });
  });

  it('changes nothing for a success of any amount for an order it does not hold', () => {
    expect(decideOnWebhook(undefined, succeededFor({ amountMinor: 1n, currency: 'KRW' }))).toEqual({
      kind: 'unknown_order',
    });
  });

  it('declines an order waiting for this PSP', () => {
    expect(decideOnWebhook(order('unknown'), declined)).toEqual({
      kind: 'apply',
      decision: {
        kind: 'decline',
        code: 'insufficient_funds',
        message: 'Insufficient funds',
        pspReference: 'ch_1',
      },
    });
  });

  it('never moves a terminal order backwards', () => {
    const done = order('succeeded', { pspReference: 'ch_1' });
    expect(decideOnWebhook(done, declined)).toMatchObject({ kind: 'ignore' });
    expect(decideOnWebhook(done, succeeded)).toMatchObject({ kind: 'ignore' });
    expect(decideOnWebhook(order('failed'), declined)).toMatchObject({ kind: 'ignore' });
  });

  it.each(['failed', 'declined'] as const)('calls a success for a %s order an orphan', (status) => {
    expect(decideOnWebhook(order(status), succeeded)).toEqual({ kind: 'orphan', captured });
  });

  it('calls a second charge of a succeeded order an orphan', () => {
    const elsewhere = order('succeeded', { pspId: 'nova', pspReference: 'N1' });
    expect(decideOnWebhook(elsewhere, succeeded)).toEqual({ kind: 'orphan', captured });
  });

  it('leaves created orders and other PSPs to the worker and resolver', () => {
    expect(decideOnWebhook(order('created'), succeeded)).toMatchObject({ kind: 'ignore' });
    expect(decideOnWebhook(order('unknown', { pspId: 'nova' }), succeeded)).toMatchObject({ kind: 'ignore' });
    expect(decideOnWebhook(order('unknown', { pspId: 'nova' }), declined)).toMatchObject({ kind: 'ignore' });
  });

  it('ignores pending, cancelled and refund notifications, and reports unknown orders', () => {
    const pending = event({ kind: 'charge', outcome: { kind: 'pending', pspReference: 'ch_1' } });
    const cancelled = event({ kind: 'charge', outcome: { kind: 'cancelled', pspReference: 'ch_1' } });
    expect(decideOnWebhook(order('unknown'), pending)).toMatchObject({ kind: 'ignore' });
    expect(decideOnWebhook(order('unknown'), cancelled)).toMatchObject({ kind: 'ignore' });
    expect(decideOnWebhook(order('failed'), event({ kind: 'refunded' }))).toMatchObject({ kind: 'ignore' });
    expect(decideOnWebhook(undefined, succeeded)).toEqual({ kind: 'unknown_order' });
  });
});

describe('isOrphanCharge', () => {
  it('is false while the order may still take the charge, and for its own charge', () => {
    expect(isOrphanCharge(order('unknown'), 'acme', 'ch_1')).toBe(false);
    expect(isOrphanCharge(order('succeeded', { pspReference: 'ch_1' }), 'acme', 'ch_1')).toBe(false);
    expect(isOrphanCharge(order('failed'), 'acme', 'ch_1')).toBe(true);
  });
});
