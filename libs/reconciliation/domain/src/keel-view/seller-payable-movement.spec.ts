import { SellerPayableAccountError, sellerPayableMovementsOf } from './seller-payable-movement';

const ACCOUNT = 'seller_payable:0f3c9a1b2c3d4e5f60718293a4b5c6d7:EUR';

describe('sellerPayableMovementsOf', () => {
  it('keeps the seller payable postings, credits positive and debits negative, one per account', () => {
    expect(
      sellerPayableMovementsOf([
        { accountId: 'psp_clearing:acme:EUR', direction: 'debit', amountMinor: 1_000n, currency: 'EUR' },
        { accountId: ACCOUNT, direction: 'credit', amountMinor: 970n, currency: 'EUR' },
        { accountId: 'fee_revenue:EUR', direction: 'credit', amountMinor: 30n, currency: 'EUR' },
        { accountId: ACCOUNT, direction: 'debit', amountMinor: 100n, currency: 'EUR' },
        { accountId: 'seller_payable:seller_a:KRW', direction: 'debit', amountMinor: 5n, currency: 'KRW' },
      ]),
    ).toEqual([
      { accountId: ACCOUNT, currency: 'EUR', amountMinor: 870n },
      { accountId: 'seller_payable:seller_a:KRW', currency: 'KRW', amountMinor: -5n },
    ]);
  });

  it('answers nothing for a transaction that moves no seller payable (an orphan charge)', () => {
    expect(
      sellerPayableMovementsOf([
        { accountId: 'psp_clearing:acme:EUR', direction: 'debit', amountMinor: 1_000n, currency: 'EUR' },
        {
          accountId: 'orphan_refund_payable:acme:EUR',
          direction: 'credit',
          amountMinor: 1_000n,
          currency: 'EUR',
        },
      ]),
    ).toEqual([]);
  });

  it.each([
    ['seller_payable:EUR', 'EUR'],
    ['seller_payable:seller_a:USD', 'EUR'],
    ['seller_payable:seller_a:XYZ', 'XYZ'],
  ])('refuses %s posted in %s', (accountId, currency) => {
    expect(() =>
      sellerPayableMovementsOf([{ accountId, direction: 'credit', amountMinor: 1n, currency }]),
    ).toThrow(SellerPayableAccountError);
  });
});
