import { decideSettlementRefund } from './settlement-refund-decision';

const charge = { pspId: 'acme', pspReference: 'ch_1' };

describe('decideSettlementRefund', () => {
  it('refunds a charge for an order the executor never held', () => {
    expect(decideSettlementRefund(undefined, charge)).toEqual({ kind: 'refund' });
  });

  it.each(['failed', 'declined'] as const)('refunds a charge for an order that %s', (status) => {
    expect(decideSettlementRefund({ status, pspId: 'acme' }, charge)).toEqual({ kind: 'refund' });
  });

  it('refunds a second charge of an order that succeeded through another one', () => {
    expect(
      decideSettlementRefund({ status: 'succeeded', pspId: 'acme', pspReference: 'ch_other' }, charge),
    ).toEqual({ kind: 'refund' });
    expect(
      decideSettlementRefund({ status: 'succeeded', pspId: 'nova', pspReference: 'ch_1' }, charge),
    ).toEqual({ kind: 'refund' });
  });

  it('never refunds the charge an order holds as its success', () => {
    expect(
      decideSettlementRefund({ status: 'succeeded', pspId: 'acme', pspReference: 'ch_1' }, charge),
    ).toEqual({ kind: 'keep', reason: 'succeeded_with_this_charge' });
  });

  it.each(['created', 'executing', 'unknown'] as const)(
    'leaves an order still %s to its own outcome',
    (status) => {
      expect(decideSettlementRefund({ status, pspId: 'acme' }, charge)).toEqual({
        kind: 'keep',
        reason: 'in_flight',
        status,
      });
    },
  );
});
