import { chargeTruth } from './simulator-charges';

describe('chargeTruth', () => {
  it('counts approved charges per order across PSPs and flags orders charged twice', () => {
    const truth = chargeTruth([
      { psp: 'acme', idempotencyKey: 'po_1', status: 'approved', attempts: 1 },
      { psp: 'nova', idempotencyKey: 'po_1', status: 'approved', attempts: 1 },
      { psp: 'acme', idempotencyKey: 'po_2', status: 'approved', attempts: 2 },
      { psp: 'acme', idempotencyKey: 'po_3', status: 'declined', attempts: 1 },
    ]);
    expect(truth).toEqual({
      chargedOrders: 2,
      ordersChargedMoreThanOnce: 1,
      chargesByPsp: { acme: 2, nova: 1 },
    });
  });
});
