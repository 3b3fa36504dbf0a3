import { Money, type CurrencyCode } from '@keel/money';
import { assertBalanceAfter, creditedBalance } from './wallet-credit';
import { WalletError, WalletErrorCode } from './wallet.error';

/**
 * A merchant's seller's wallet in one currency: the key its row is opened, locked and updated by.
 * Seller ids are the merchant's own, so two merchants' `seller_a` are two wallets.
 */
export interface WalletKey {
  readonly merchantId: string;
  readonly sellerId: string;
  readonly currency: CurrencyCode;
}

/** One credit of a chunk: `amount` is added to the merchant's seller's wallet in the amount's currency. */
export interface ChunkCredit {
  readonly merchantId: string;
  readonly sellerId: string;
  readonly amount: Money;
}

/** A wallet's balance as read under its row lock, before the chunk changes it. */
export interface LockedBalance {
  readonly merchantId: string;
  readonly sellerId: string;
  readonly balance: Money;
}

/** A credit with the wallet balance right after it: the entry's `balance_after`. */
export interface PlannedEntry<C extends ChunkCredit> {
  readonly credit: C;
  readonly balanceAfter: Money;
}

/** Everything a chunk adds to one wallet, so that its row is written once per chunk. */
export interface WalletChunkTotal<W extends LockedBalance> {
  readonly locked: W;
  readonly credited: Money;
  readonly entryCount: number;
  readonly balanceAfter: Money;
}

export interface ChunkCreditPlan<C extends ChunkCredit, W extends LockedBalance> {
  /** In the order of `credits`. */
  readonly entries: readonly PlannedEntry<C>[];
  /** One per wallet that receives at least one credit. */
  readonly wallets: readonly WalletChunkTotal<W>[];
}

/**
 * The wallets `credits` touch, each once, by merchant, seller, then currency. Sorted only so that
 * the input is deterministic; the lock order is the database's own ORDER BY.
 */
export function walletsCreditedBy(credits: readonly ChunkCredit[]): WalletKey[] {
  const byKey = new Map<string, WalletKey>();
  for (const { merchantId, sellerId, amount } of credits) {
    byKey.set(walletKeyOf({ merchantId, sellerId, currency: amount.currency }), {
      merchantId,
      sellerId,
      currency: amount.currency,
    });
  }
  return [...byKey.values()].sort(
    (a, b) =>
      compareText(a.merchantId, b.merchantId) ||
      compareText(a.sellerId, b.sellerId) ||
      compareText(a.currency, b.currency),
  );
}

/**
 * Applies a chunk's credits, in their order, to the balances locked for it: each entry's
 * `balanceAfter` runs on from the previous credit to the same wallet, and each wallet's total is
 * the sum of its credits, so the row can be updated once and still end where its last entry says.
 */
export function planChunkCredits<C extends ChunkCredit, W extends LockedBalance>(
  credits: readonly C[],
  locked: readonly W[],
): ChunkCreditPlan<C, W> {
  const totals = new Map<string, WalletChunkTotal<W>>();
  for (const wallet of locked) {
    const key = walletKeyOf({ ...wallet, currency: wallet.balance.currency });
    if (totals.has(key)) throw new Error(`Wallet ${key} is locked twice in one chunk`);
    totals.set(key, {
      locked: wallet,
      credited: Money.zero(wallet.balance.currency),
      entryCount: 0,
      balanceAfter: wallet.balance,
    });
  }
  const entries = credits.map((credit) => {
    const key = walletKeyOf({ ...credit, currency: credit.amount.currency });
    const total = totals.get(key);
    if (total === undefined) {
      throw new WalletError(
        WalletErrorCode.WALLET_NOT_LOCKED,
        `Credit to wallet ${key}, which the chunk did not lock`,
      );
    }
    const balanceAfter = creditedBalance(total.balanceAfter, credit.amount);
    totals.set(key, {
      locked: total.locked,
      credited: total.credited.plus(credit.amount),
      entryCount: total.entryCount + 1,
      balanceAfter,
    });
    return { credit, balanceAfter };
  });
  const wallets = [...totals.values()].filter((total) => total.entryCount > 0);
  // The summed credit must land where the chain of entries ends, or the row and its history disagree.
  for (const total of wallets) assertBalanceAfter(total.locked.balance, total.credited, total.balanceAfter);
  return { entries, wallets };
}

/** The wallet's key as one comparable string, for maps. */
export function walletKeyOf(key: WalletKey): string {
  return JSON.stringify([key.merchantId, key.sellerId, key.currency]);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
