import type { CurrencyTotals } from '../settlement-file-summary';
import { compareClearing } from './three-way-check';

function totals(chargedMinor: bigint, refundedMinor: bigint): CurrencyTotals {
  return {
    rowCount: 2,
    chargeCount: 1,
    refundCount: 1,
    chargedMinor,
    refundedMinor,
    rowFeesMinor: undefined,
    fileFeeMinor: undefined,
  };
}

describe('compareClearing', () => {
  it("compares the ledger's clearing movements with the file's net per currency, either side alone included", () => {
    const comparison = compareClearing(
      [
        { currency: 'KRW', amountMinor: 30_000n },
        { currency: 'USD', amountMinor: 500n },
      ],
      {
        totalsByCurrency: new Map([
          ['KRW', totals(31_000n, 1_000n)],
          ['EUR', totals(2_000n, 0n)],
        ]),
      },
    );

    expect(comparison).toEqual([
      { currency: 'EUR', ledgerMinor: 0n, settlementMinor: 2_000n, differenceMinor: -2_000n },
      { currency: 'KRW', ledgerMinor: 30_000n, settlementMinor: 30_000n, differenceMinor: 0n },
      { currency: 'USD', ledgerMinor: 500n, settlementMinor: 0n, differenceMinor: 500n },
    ]);
  });

  it('is empty when neither side moved money', () => {
    expect(compareClearing([], { totalsByCurrency: new Map() })).toEqual([]);
  });
});
