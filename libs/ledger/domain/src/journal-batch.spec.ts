import { Money } from '@keel/money';
import { feeRevenueAccount, pspClearingAccount, sellerPayableAccount } from './account';
import { buildChargeEntry } from './charge-entry';
import {
  accountMovementsOf,
  balancesAfter,
  debitsSignatureOf,
  entryDebitsSignatureOf,
  firstOfEachMovement,
  movementKeyOf,
} from './journal-batch';
import { journalEntry, type JournalEntry } from './journal-entry';
import { LedgerError } from './ledger.error';
import { buildOrphanChargeEntry } from './orphan-charge-entry';
import { credit, debit } from './posting';

const MERCHANT = 'merchant_1';
const payableOf = (sellerId: string) => sellerPayableAccount(MERCHANT, sellerId, 'KRW').id;

function charge(paymentOrderId: string, sellerId: string, amountMinor: bigint): JournalEntry {
  return buildChargeEntry({
    paymentOrderId,
    paymentId: `pay-${paymentOrderId}`,
    merchantId: MERCHANT,
    sellerId,
    pspId: 'acme',
    amount: Money.of(amountMinor, 'KRW'),
    // A 2.5 % fee, as the payment service decides for cards by default.
    fee: Money.of(amountMinor / 40n, 'KRW'),
  });
}

describe('movement keys', () => {
  it('tell kinds apart for one reference', () => {
    const orphan = buildOrphanChargeEntry({
      paymentOrderId: 'po-1',
      paymentId: 'pay-1',
      pspId: 'acme',
      amount: Money.of(100n, 'KRW'),
    });
    expect(movementKeyOf(charge('po-1', 's', 100n))).not.toBe(movementKeyOf(orphan));
    expect(movementKeyOf(charge('po-1', 's', 100n))).toBe(movementKeyOf(charge('po-1', 't', 900n)));
  });

  it('keep the first item of each movement, in order', () => {
    const items = [
      { id: 'a', entry: charge('po-1', 's', 100n) },
      { id: 'b', entry: charge('po-2', 's', 100n) },
      { id: 'c', entry: charge('po-1', 's', 100n) },
      { id: 'd', entry: charge('po-3', 's', 100n) },
    ];
    expect(firstOfEachMovement(items, (item) => item.entry).map((item) => item.id)).toEqual(['a', 'b', 'd']);
  });
});

describe('debit signatures', () => {
  it('compare debits only, whatever their order and the credits', () => {
    const recorded = debitsSignatureOf([
      { accountId: 'seller_payable:s:KRW', signedAmountMinor: -9750n },
      { accountId: 'psp_clearing:acme:KRW', signedAmountMinor: 10000n },
      { accountId: 'fee_revenue:KRW', signedAmountMinor: -250n },
    ]);
    expect(recorded).toBe('psp_clearing:acme:KRW=10000');
    expect(entryDebitsSignatureOf(charge('po-1', 's', 10000n))).toBe(recorded);
    expect(entryDebitsSignatureOf(charge('po-1', 's', 10001n))).not.toBe(recorded);
  });
});

describe('account movements', () => {
  it('net every entry per account, count the entries touching it, in id order', () => {
    const movements = accountMovementsOf([
      charge('po-1', 'zed', 10000n),
      charge('po-2', 'amy', 20000n),
      charge('po-3', 'zed', 1000n),
    ]);
    expect(
      movements.map((movement) => [movement.account.id, movement.deltaMinor, movement.transactionCount]),
    ).toEqual(
      [
        ['fee_revenue:KRW', -(250n + 500n + 25n), 3],
        ['psp_clearing:acme:KRW', 31000n, 3],
        [payableOf('amy'), -19500n, 1],
        [payableOf('zed'), -(9750n + 975n), 2],
      ].sort(([left], [right]) => (String(left) < String(right) ? -1 : 1)),
    );
  });

  it('count an entry once for an account it posts to twice', () => {
    const clearing = pspClearingAccount('acme', 'KRW');
    const seller = sellerPayableAccount(MERCHANT, 's', 'KRW');
    const entry = journalEntry({
      kind: 'payment_order_charge',
      reference: 'po-1',
      paymentId: 'pay-1',
      postings: [
        debit(clearing, Money.of(70n, 'KRW')),
        debit(clearing, Money.of(30n, 'KRW')),
        credit(seller, Money.of(100n, 'KRW')),
      ],
    });
    expect(accountMovementsOf([entry]).map((movement) => movement.transactionCount)).toEqual([1, 1]);
    expect(accountMovementsOf([entry])[0]?.deltaMinor).toBe(100n);
  });

  it('sum to zero over all accounts, as each entry does', () => {
    const entries = Array.from({ length: 20 }, (_, index) =>
      charge(`po-${index}`, `s${index % 3}`, BigInt(1 + index * 997)),
    );
    const total = accountMovementsOf(entries).reduce((sum, movement) => sum + movement.deltaMinor, 0n);
    expect(total).toBe(0n);
  });
});

describe('balances after', () => {
  it('move each locked balance by its delta and its version by its transactions', () => {
    const movements = accountMovementsOf([charge('po-1', 's', 10000n), charge('po-2', 's', 10000n)]);
    const before = movements.map((movement, index) => ({
      accountId: movement.account.id,
      balanceMinor: BigInt(index * 100),
      version: 7n,
    }));
    expect(balancesAfter(before, movements)).toEqual([
      { accountId: feeRevenueAccount('KRW').id, balanceMinor: -500n, version: 9n },
      { accountId: 'psp_clearing:acme:KRW', balanceMinor: 20100n, version: 9n },
      { accountId: payableOf('s'), balanceMinor: 200n - 19500n, version: 9n },
    ]);
  });

  it('refuse to move an account whose balance was not read', () => {
    const movements = accountMovementsOf([charge('po-1', 's', 10000n)]);
    expect(() => balancesAfter([], movements)).toThrow(LedgerError);
  });
});
