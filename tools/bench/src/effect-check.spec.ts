import { EVENT_TYPES } from '@keel/contracts';
import { effectCounts } from './effect-check';

describe('effectCounts', () => {
  it('checks each order of a completed payment for one wallet credit and one ledger transaction', () => {
    const outcomes = new Map([
      ['pay_1', { type: EVENT_TYPES.paymentCompleted, observedAtMs: 1, paymentOrderIds: ['po_1', 'po_2'] }],
      ['pay_2', { type: EVENT_TYPES.paymentCompleted, observedAtMs: 1, paymentOrderIds: ['po_3'] }],
      ['pay_3', { type: EVENT_TYPES.paymentFailed, observedAtMs: 1, paymentOrderIds: ['po_4'] }],
    ]);
    const wallet = new Map([
      ['po_1', new Set(['w1'])],
      ['po_2', new Set(['w2', 'w3'])],
    ]);
    const ledger = new Map([
      ['po_1', new Set(['l1'])],
      ['po_2', new Set(['l2'])],
      ['po_3', new Set(['l3'])],
    ]);
    expect(effectCounts(['pay_1', 'pay_2', 'pay_3', 'pay_unknown'], outcomes, wallet, ledger)).toEqual({
      orders: 3,
      walletOnce: 1,
      walletMissing: 1,
      walletMoreThanOnce: 1,
      ledgerOnce: 3,
      ledgerMissing: 0,
      ledgerMoreThanOnce: 0,
    });
  });
});
