import { Money } from '@keel/money';
import { feeRevenueAccount, pspClearingAccount } from './account';
import { LedgerError, LedgerErrorCode } from './ledger.error';
import {
  credit,
  debit,
  oppositeDirectionOf,
  posting,
  postingFromSigned,
  signedAmountMinorOf,
} from './posting';

const clearing = pspClearingAccount('acme', 'KRW');

describe('postings', () => {
  it('are positive amounts on a side; stored signed, debits positive', () => {
    expect(signedAmountMinorOf(debit(clearing, Money.of(100n, 'KRW')))).toBe(100n);
    expect(signedAmountMinorOf(credit(clearing, Money.of(100n, 'KRW')))).toBe(-100n);
  });

  it('read back from the signed form', () => {
    expect(postingFromSigned(clearing, 42n)).toEqual(debit(clearing, Money.of(42n, 'KRW')));
    expect(postingFromSigned(clearing, -42n)).toEqual(credit(clearing, Money.of(42n, 'KRW')));
  });

  it('refuse zero and negative amounts', () => {
    for (const amountMinor of [0n, -1n]) {
      expect(() => posting(clearing, 'debit', Money.of(amountMinor, 'KRW'))).toThrow(
        expect.objectContaining({ code: LedgerErrorCode.NON_POSITIVE_POSTING }) as LedgerError,
      );
    }
    expect(() => postingFromSigned(clearing, 0n)).toThrow(LedgerError);
  });

  it('refuse an amount in another currency than the account', () => {
    expect(() => credit(feeRevenueAccount('KRW'), Money.of(1n, 'USD'))).toThrow(
      expect.objectContaining({ code: LedgerErrorCode.CURRENCY_MISMATCH }) as LedgerError,
    );
  });

  it('have an opposite side', () => {
    expect(oppositeDirectionOf('debit')).toBe('credit');
    expect(oppositeDirectionOf('credit')).toBe('debit');
  });
});
