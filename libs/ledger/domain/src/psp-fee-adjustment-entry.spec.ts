import { Money } from '@keel/money';
import { LedgerErrorCode } from './ledger.error';
import { buildPspFeeAdjustmentEntry } from './psp-fee-adjustment-entry';
import { sumsByCurrency } from './journal-entry';

const adjustment = {
  adjustmentId: '2f4e6a8c-1b3d-4f5a-8b7c-9d0e1f2a3b4c',
  pspId: 'acme',
  reason: 'the PSP kept 257 KRW in fees; the contract allows 250 KRW (run r1)',
};

function linesOf(entry: ReturnType<typeof buildPspFeeAdjustmentEntry>): string[] {
  return entry.postings.map((item) => `${item.direction} ${item.account.id} ${item.amount.amountMinor}`);
}

describe('buildPspFeeAdjustmentEntry', () => {
  it('books a fee over contract as an expense the PSP holds back from clearing', () => {
    const entry = buildPspFeeAdjustmentEntry({ ...adjustment, difference: Money.of(7n, 'KRW') });

    expect(linesOf(entry)).toEqual(['debit psp_fee_expense:acme:KRW 7', 'credit psp_clearing:acme:KRW 7']);
    expect(entry).toMatchObject({
      kind: 'psp_fee_adjustment',
      reference: adjustment.adjustmentId,
      paymentId: adjustment.adjustmentId,
      reason: adjustment.reason,
    });
    expect([...sumsByCurrency(entry.postings).values()]).toEqual([0n]);
  });

  it('books a fee under contract as the mirror', () => {
    const entry = buildPspFeeAdjustmentEntry({ ...adjustment, difference: Money.of(-3n, 'USD') });

    expect(linesOf(entry)).toEqual(['debit psp_clearing:acme:USD 3', 'credit psp_fee_expense:acme:USD 3']);
  });

  it('refuses a difference of zero and a reason too long for the ledger event', () => {
    expect(() => buildPspFeeAdjustmentEntry({ ...adjustment, difference: Money.of(0n, 'KRW') })).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.INVALID_AMOUNT }),
    );
    expect(() =>
      buildPspFeeAdjustmentEntry({ ...adjustment, difference: Money.of(1n, 'KRW'), reason: 'x'.repeat(501) }),
    ).toThrow(expect.objectContaining({ code: LedgerErrorCode.INVALID_REFERENCE }));
  });
});
