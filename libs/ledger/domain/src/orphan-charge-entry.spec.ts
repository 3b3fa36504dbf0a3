import { Money } from '@keel/money';
import { accountRef } from './account';
import { sumsByCurrency, type JournalEntry } from './journal-entry';
import { LedgerError, LedgerErrorCode } from './ledger.error';
import { buildOrphanChargeEntry, buildOrphanRefundEntry, type OrphanCharge } from './orphan-charge-entry';

function charge(amountMinor: bigint, currency: 'KRW' | 'USD' = 'KRW'): OrphanCharge {
  return {
    paymentOrderId: 'po_1',
    paymentId: 'pay_1',
    pspId: 'acme',
    amount: Money.of(amountMinor, currency),
  };
}

function rowsOf(entry: JournalEntry): [string, string, bigint][] {
  return entry.postings.map((item) => [item.account.id, item.direction, item.amount.amountMinor]);
}

describe('orphan charge entries', () => {
  it('owes the charge back to the buyer: debit PSP clearing, credit orphan refund payable', () => {
    const entry = buildOrphanChargeEntry(charge(15_000n));
    expect(entry).toMatchObject({ kind: 'orphan_charge', reference: 'po_1', paymentId: 'pay_1' });
    expect(rowsOf(entry)).toEqual([
      ['psp_clearing:acme:KRW', 'debit', 15_000n],
      ['orphan_refund_payable:acme:KRW', 'credit', 15_000n],
    ]);
    expect([...sumsByCurrency(entry.postings).values()]).toEqual([0n]);
  });

  it('settles it on refund with the mirrored movement', () => {
    const entry = buildOrphanRefundEntry(charge(1_999n, 'USD'));
    expect(entry).toMatchObject({ kind: 'orphan_charge_refund', reference: 'po_1' });
    expect(rowsOf(entry)).toEqual([
      ['orphan_refund_payable:acme:USD', 'debit', 1_999n],
      ['psp_clearing:acme:USD', 'credit', 1_999n],
    ]);
    expect([...sumsByCurrency(entry.postings).values()]).toEqual([0n]);
  });

  it('keeps the orphan refund payable a PSP-owned liability on the credit side', () => {
    expect(accountRef('orphan_refund_payable', 'nova', 'KRW')).toMatchObject({
      id: 'orphan_refund_payable:nova:KRW',
      type: 'liability',
      normalSide: 'credit',
      owner: 'nova',
    });
  });

  it.each([0n, -5n])('refuses an amount of %p', (amountMinor) => {
    for (const build of [buildOrphanChargeEntry, buildOrphanRefundEntry]) {
      expect(() => build(charge(amountMinor))).toThrow(LedgerError);
      try {
        build(charge(amountMinor));
      } catch (error) {
        expect((error as LedgerError).code).toBe(LedgerErrorCode.INVALID_AMOUNT);
      }
    }
  });
});
