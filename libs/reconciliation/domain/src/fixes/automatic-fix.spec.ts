import { automaticFixOf, type FixableDiscrepancy } from './automatic-fix';

const chargeRow = {
  kind: 'charge',
  pspReference: 'ch_1',
  amountMinor: '30000',
  currency: 'KRW',
  feeMinor: '750',
};

function missing(overrides: Partial<FixableDiscrepancy> = {}): FixableDiscrepancy {
  return {
    id: 'd1',
    class: 'missing_in_keel',
    merchantReference: 'po_1',
    pspReference: 'ch_1',
    keel: null,
    pspSide: { rows: [chargeRow] },
    currency: 'KRW',
    reason: 'the PSP reports a charge; Keel has no such order',
    ...overrides,
  };
}

describe('automaticFixOf', () => {
  it('refunds a charge Keel never held, or held as failed or declined', () => {
    const refund = {
      kind: 'refund',
      paymentOrderId: 'po_1',
      pspReference: 'ch_1',
      amountMinor: 30_000n,
      currency: 'KRW',
    };
    expect(automaticFixOf(missing())).toEqual(refund);
    expect(automaticFixOf(missing({ keel: { status: 'failed' } }))).toEqual(refund);
    expect(automaticFixOf(missing({ keel: { status: 'declined' } }))).toEqual(refund);
  });

  it('leaves to a person a success, several rows, a partial refund, or no order id', () => {
    for (const discrepancy of [
      missing({ keel: { status: 'succeeded' } }),
      missing({ pspSide: { rows: [chargeRow, chargeRow] } }),
      missing({ pspSide: { rows: [chargeRow, { ...chargeRow, kind: 'refund', amountMinor: '100' }] } }),
      missing({ merchantReference: null }),
      missing({ merchantReference: 'has spaces' }),
      missing({ pspReference: null }),
    ]) {
      expect(automaticFixOf(discrepancy).kind).toBe('for_a_person');
    }
  });

  it('adjusts an order fee by what the PSP kept over (or under) the contract', () => {
    const fee = (feeMinor: string): FixableDiscrepancy => ({
      ...missing(),
      class: 'fee_mismatch',
      keel: { status: 'succeeded', expectedFeeMinor: '1750' },
      pspSide: { rows: [{ ...chargeRow, amountMinor: '70000', feeMinor }] },
    });
    expect(automaticFixOf(fee('1757'))).toEqual({
      kind: 'fee_adjustment',
      differenceMinor: 7n,
      currency: 'KRW',
    });
    expect(automaticFixOf(fee('1740'))).toEqual({
      kind: 'fee_adjustment',
      differenceMinor: -10n,
      currency: 'KRW',
    });
  });

  it("adjusts a file's fee (nova) by its stated fee less the contract's", () => {
    expect(
      automaticFixOf({
        ...missing(),
        class: 'fee_mismatch',
        merchantReference: null,
        pspReference: null,
        keel: { contractFeeMinor: '870', currency: 'KRW' },
        pspSide: { fileId: 'f1', statedFeeMinor: '873', currency: 'KRW' },
      }),
    ).toEqual({ kind: 'fee_adjustment', differenceMinor: 3n, currency: 'KRW' });
  });

  it('leaves every other class, and a fee it cannot read, to a person', () => {
    expect(automaticFixOf({ ...missing(), class: 'duplicate' }).kind).toBe('for_a_person');
    expect(automaticFixOf({ ...missing(), class: 'amount_mismatch' }).kind).toBe('for_a_person');
    expect(
      automaticFixOf({
        ...missing(),
        class: 'fee_mismatch',
        keel: {},
        pspSide: { rows: [{ kind: 'charge' }] },
      }).kind,
    ).toBe('for_a_person');
  });
});
