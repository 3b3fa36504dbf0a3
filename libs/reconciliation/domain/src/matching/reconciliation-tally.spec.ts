import type { CurrencyCode } from '@keel/money';
import type { ClassifiedOrder, ReconciliationClass } from './classification';
import { ReconciliationTally } from './reconciliation-tally';

const verdict = (
  reconciliationClass: ReconciliationClass,
  amountMinor: bigint,
  currency: CurrencyCode,
): ClassifiedOrder => ({
  class: reconciliationClass,
  merchantReference: 'po_1',
  pspReference: 'ch_1',
  keel: undefined,
  rows: [],
  moneyAtRisk: { amountMinor, currency },
  reason: '',
});

describe('ReconciliationTally', () => {
  it('counts verdicts per class and sums money at risk per currency', () => {
    const tally = new ReconciliationTally();
    for (const classified of [
      verdict('matched', 0n, 'KRW'),
      verdict('matched', 0n, 'USD'),
      verdict('timing', 0n, 'KRW'),
      verdict('missing_in_keel', 10_000n, 'KRW'),
      verdict('missing_at_psp', 2_599n, 'USD'),
      verdict('amount_mismatch', 500n, 'KRW'),
      verdict('status_mismatch', 1_000n, 'USD'),
      verdict('duplicate', 10_000n, 'KRW'),
      verdict('fee_mismatch', 50n, 'KRW'),
    ]) {
      tally.add(classified);
    }
    tally.addFileFeeDifference({
      currency: 'EUR',
      statedMinor: 40n,
      contractMinor: 50n,
      differenceMinor: -10n,
    });

    expect(tally.counts).toEqual({
      matched: 2,
      timing: 1,
      missing_in_keel: 1,
      missing_at_psp: 1,
      amount_mismatch: 1,
      status_mismatch: 1,
      duplicate: 1,
      fee_mismatch: 2,
    });
    expect(tally.discrepancyCount).toBe(7);
    expect(tally.moneyAtRisk()).toEqual(
      new Map([
        ['KRW', 20_550n],
        ['USD', 3_599n],
        ['EUR', 10n],
      ]),
    );
    expect(tally.moneyAtRiskOf('fee_mismatch')).toEqual(
      new Map([
        ['KRW', 50n],
        ['EUR', 10n],
      ]),
    );
    expect(tally.moneyAtRiskOf('matched')).toEqual(new Map());
  });

  it('reports a clean day as no discrepancy and nothing at risk', () => {
    const tally = new ReconciliationTally();
    tally.add(verdict('matched', 0n, 'KRW'));

    expect(tally.discrepancyCount).toBe(0);
    expect(tally.moneyAtRisk()).toEqual(new Map());
  });
});
