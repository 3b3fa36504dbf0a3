import { Money } from '@keel/money';
import { trialBalanceOf } from './trial-balance';

describe('trialBalanceOf', () => {
  it('balances a currency whose debit and credit balances are equal, in currency order', () => {
    const trialBalance = trialBalanceOf([
      { currency: 'USD', debitBalancesMinor: 1_999n, creditBalancesMinor: 1_999n },
      { currency: 'KRW', debitBalancesMinor: 10_000n, creditBalancesMinor: 10_000n },
    ]);
    expect(trialBalance).toEqual({
      balanced: true,
      lines: [
        {
          currency: 'KRW',
          totalDebits: Money.of(10_000n, 'KRW'),
          totalCredits: Money.of(10_000n, 'KRW'),
          balanced: true,
        },
        {
          currency: 'USD',
          totalDebits: Money.of(1_999n, 'USD'),
          totalCredits: Money.of(1_999n, 'USD'),
          balanced: true,
        },
      ],
    });
  });

  it('reports a currency off by one minor unit, and the whole as unbalanced', () => {
    const trialBalance = trialBalanceOf([
      { currency: 'KRW', debitBalancesMinor: 10_000n, creditBalancesMinor: 9_999n },
      { currency: 'USD', debitBalancesMinor: 5n, creditBalancesMinor: 5n },
    ]);
    expect(trialBalance.balanced).toBe(false);
    expect(trialBalance.lines.map((line) => [line.currency, line.balanced])).toEqual([
      ['KRW', false],
      ['USD', true],
    ]);
  });

  it('balances an empty ledger', () => {
    expect(trialBalanceOf([])).toEqual({ balanced: true, lines: [] });
  });
});
