import { Money } from '@keel/money';
import { planChunkCredits, walletsCreditedBy, type ChunkCredit, type LockedBalance } from './credit-chunk';
import { WalletErrorCode } from './wallet.error';

const walletError = (code: WalletErrorCode) => expect.objectContaining({ name: 'WalletError', code });
const usd = (amountMinor: bigint) => Money.of(amountMinor, 'USD');
const krw = (amountMinor: bigint) => Money.of(amountMinor, 'KRW');

interface TestCredit extends ChunkCredit {
  readonly paymentOrderId: string;
}

interface TestWallet extends LockedBalance {
  readonly version: bigint;
}

const credit = (
  paymentOrderId: string,
  sellerId: string,
  amount: Money,
  merchantId = 'merchant-1',
): TestCredit => ({ paymentOrderId, merchantId, sellerId, amount });
const locked = (sellerId: string, balance: Money, version = 1n, merchantId = 'merchant-1'): TestWallet => ({
  merchantId,
  sellerId,
  balance,
  version,
});

describe('walletsCreditedBy', () => {
  it('names each wallet once, by seller then currency', () => {
    const credits = [
      credit('po-1', 'seller-b', krw(1n)),
      credit('po-2', 'seller-a', usd(1n)),
      credit('po-3', 'seller-b', krw(2n)),
      credit('po-4', 'seller-a', krw(3n)),
    ];
    expect(walletsCreditedBy(credits)).toEqual([
      { merchantId: 'merchant-1', sellerId: 'seller-a', currency: 'KRW' },
      { merchantId: 'merchant-1', sellerId: 'seller-a', currency: 'USD' },
      { merchantId: 'merchant-1', sellerId: 'seller-b', currency: 'KRW' },
    ]);
  });

  it('names one wallet per merchant for a seller id two merchants use, by merchant first', () => {
    const credits = [
      credit('po-1', 'seller-a', krw(1n), 'merchant-b'),
      credit('po-2', 'seller-b', krw(2n), 'merchant-a'),
      credit('po-3', 'seller-a', krw(3n), 'merchant-a'),
    ];
    expect(walletsCreditedBy(credits)).toEqual([
      { merchantId: 'merchant-a', sellerId: 'seller-a', currency: 'KRW' },
      { merchantId: 'merchant-a', sellerId: 'seller-b', currency: 'KRW' },
      { merchantId: 'merchant-b', sellerId: 'seller-a', currency: 'KRW' },
    ]);
  });

  it('names nothing for no credits', () => {
    expect(walletsCreditedBy([])).toEqual([]);
  });
});

describe('planChunkCredits', () => {
  it('runs each wallet’s balance on from its locked balance, in the credits’ order', () => {
    const credits = [
      credit('po-1', 'seller-a', krw(100n)),
      credit('po-2', 'seller-b', krw(10n)),
      credit('po-3', 'seller-a', krw(50n)),
      credit('po-4', 'seller-a', usd(7n)),
      credit('po-5', 'seller-a', krw(1n)),
    ];
    const wallets = [
      locked('seller-a', krw(1_000n), 4n),
      locked('seller-a', usd(0n), 0n),
      locked('seller-b', krw(0n)),
    ];
    const plan = planChunkCredits(credits, wallets);
    expect(plan.entries.map((entry) => [entry.credit.paymentOrderId, entry.balanceAfter])).toEqual([
      ['po-1', krw(1_100n)],
      ['po-2', krw(10n)],
      ['po-3', krw(1_150n)],
      ['po-4', usd(7n)],
      ['po-5', krw(1_151n)],
    ]);
    expect(plan.wallets).toEqual([
      { locked: wallets[0], credited: krw(151n), entryCount: 3, balanceAfter: krw(1_151n) },
      { locked: wallets[1], credited: usd(7n), entryCount: 1, balanceAfter: usd(7n) },
      { locked: wallets[2], credited: krw(10n), entryCount: 1, balanceAfter: krw(10n) },
    ]);
  });

  it('leaves out locked wallets that receive nothing', () => {
    const wallets = [locked('seller-a', krw(5n)), locked('seller-b', krw(9n))];
    const plan = planChunkCredits([credit('po-1', 'seller-b', krw(1n))], wallets);
    expect(plan.wallets).toEqual([
      { locked: wallets[1], credited: krw(1n), entryCount: 1, balanceAfter: krw(10n) },
    ]);
  });

  it('plans nothing for no credits', () => {
    expect(planChunkCredits([], [locked('seller-a', krw(5n))])).toEqual({ entries: [], wallets: [] });
  });

  it('ends every wallet at its locked balance plus the sum of its credits', () => {
    const amounts = Array.from({ length: 200 }, (_, index) => BigInt(1 + ((index * 7_919) % 1_000)));
    const sellers = ['seller-a', 'seller-b', 'seller-c'];
    const credits = amounts.map((amount, index) =>
      credit(`po-${index}`, sellers[index % 3] ?? '', krw(amount)),
    );
    const plan = planChunkCredits(
      credits,
      sellers.map((sellerId) => locked(sellerId, krw(1_000n))),
    );
    for (const total of plan.wallets) {
      const own = plan.entries.filter((entry) => entry.credit.sellerId === total.locked.sellerId);
      const sum = own.reduce((all, entry) => all + entry.credit.amount.amountMinor, 0n);
      expect(total.balanceAfter).toEqual(krw(1_000n + sum));
      expect(total.entryCount).toBe(own.length);
      expect(own[own.length - 1]?.balanceAfter).toEqual(total.balanceAfter);
    }
  });

  it('keeps two merchants’ wallets of one seller id apart', () => {
    const plan = planChunkCredits(
      [
        credit('po-1', 'seller-a', krw(100n), 'merchant-a'),
        credit('po-2', 'seller-a', krw(7n), 'merchant-b'),
      ],
      [locked('seller-a', krw(1_000n), 1n, 'merchant-a'), locked('seller-a', krw(0n), 0n, 'merchant-b')],
    );
    expect(plan.entries.map((entry) => entry.balanceAfter)).toEqual([krw(1_100n), krw(7n)]);
    expect(plan.wallets.map((total) => [total.locked.merchantId, total.balanceAfter])).toEqual([
      ['merchant-a', krw(1_100n)],
      ['merchant-b', krw(7n)],
    ]);
  });

  it('refuses a credit to a wallet the chunk did not lock, in its currency or merchant too', () => {
    expect(() =>
      planChunkCredits([credit('po-1', 'seller-b', krw(1n))], [locked('seller-a', krw(0n))]),
    ).toThrow(walletError(WalletErrorCode.WALLET_NOT_LOCKED));
    expect(() =>
      planChunkCredits([credit('po-1', 'seller-a', usd(1n))], [locked('seller-a', krw(0n))]),
    ).toThrow(walletError(WalletErrorCode.WALLET_NOT_LOCKED));
    expect(() =>
      planChunkCredits(
        [credit('po-1', 'seller-a', krw(1n), 'merchant-b')],
        [locked('seller-a', krw(0n), 1n, 'merchant-a')],
      ),
    ).toThrow(walletError(WalletErrorCode.WALLET_NOT_LOCKED));
  });

  it('refuses a credit that is not positive', () => {
    expect(() =>
      planChunkCredits([credit('po-1', 'seller-a', krw(0n))], [locked('seller-a', krw(5n))]),
    ).toThrow(walletError(WalletErrorCode.INVALID_CREDIT));
  });

  it('refuses a wallet locked twice', () => {
    expect(() =>
      planChunkCredits(
        [credit('po-1', 'seller-a', krw(1n))],
        [locked('seller-a', krw(0n)), locked('seller-a', krw(0n))],
      ),
    ).toThrow(/locked twice/);
  });
});
