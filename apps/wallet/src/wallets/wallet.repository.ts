import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedStatement, runPrepared } from '@keel/database';
import { currencyOf, Money } from '@keel/money';
import type { WalletKey } from '@keel/wallet-domain';

/** A merchant's seller's balance in one currency, with the version that counts its changes. */
export interface WalletBalanceRecord {
  readonly merchantId: string;
  readonly sellerId: string;
  readonly balance: Money;
  readonly version: bigint;
  readonly updatedAt: Date;
}

/** What one chunk adds to a wallet it holds locked: `entryCount` credits summing to `credited`. */
export interface WalletBalanceChange {
  readonly locked: WalletBalanceRecord;
  readonly credited: Money;
  readonly entryCount: number;
}

interface WalletRow {
  merchant_id: string;
  seller_id: string;
  currency: string;
  balance_minor: string;
  version: string;
  updated_at: Date;
}

const WALLET_COLUMNS = 'merchant_id, seller_id, currency, balance_minor, version, updated_at';

/**
 * A merchant's seller's first credit in a currency opens the wallet; one that exists is left
 * alone. Inserted in key order, so two chunks opening the same new wallets wait for each other in
 * one order.
 */
const OPEN_WALLETS = preparedStatement(
  'wallet_open_wallets',
  `INSERT INTO wallets (merchant_id, seller_id, currency)
   SELECT merchant_id, seller_id, currency
   FROM unnest($1::text[], $2::text[], $3::text[]) AS opened (merchant_id, seller_id, currency)
   ORDER BY merchant_id, seller_id, currency
   ON CONFLICT (merchant_id, seller_id, currency) DO NOTHING`,
);

/**
 * Locks the chunk's wallets for the rest of the transaction. Rows are locked as the sort emits
 * them, so every chunk, in every instance, takes its locks in the same order and none deadlocks.
 */
const LOCK_WALLETS = preparedStatement(
  'wallet_lock_wallets',
  `SELECT ${WALLET_COLUMNS} FROM wallets
   WHERE (merchant_id, seller_id, currency) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))
   ORDER BY merchant_id, seller_id, currency
   FOR UPDATE`,
);

/**
 * The database adds each wallet's chunk total itself, and only to the balance and version the
 * caller read under its lock, so the caller can compare the result with its own arithmetic.
 */
const ADD_TO_BALANCES = preparedStatement(
  'wallet_add_to_balances',
  `UPDATE wallets AS wallet
   SET balance_minor = wallet.balance_minor + chunk.credited_minor,
       version = wallet.version + chunk.entry_count,
       updated_at = now()
   FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])
     AS chunk (merchant_id, seller_id, currency, credited_minor, entry_count, locked_balance_minor,
       locked_version)
   WHERE wallet.merchant_id = chunk.merchant_id AND wallet.seller_id = chunk.seller_id
     AND wallet.currency = chunk.currency
     AND wallet.balance_minor = chunk.locked_balance_minor AND wallet.version = chunk.locked_version
   RETURNING wallet.merchant_id, wallet.seller_id, wallet.currency, wallet.balance_minor, wallet.version,
     wallet.updated_at`,
);

const BALANCES_OF_SELLER_SQL = `
  SELECT ${WALLET_COLUMNS} FROM wallets
  WHERE merchant_id = $1 AND seller_id = $2
  ORDER BY currency`;

/** The `wallets` table: one running balance per merchant, seller and currency. */
@Injectable()
export class WalletRepository {
  /**
   * Opens the wallets that do not exist yet with a zero balance, then locks all of them: two
   * statements for the whole chunk.
   */
  async openAndLock(manager: EntityManager, wallets: readonly WalletKey[]): Promise<WalletBalanceRecord[]> {
    const keys = [
      wallets.map((wallet) => wallet.merchantId),
      wallets.map((wallet) => wallet.sellerId),
      wallets.map((wallet) => wallet.currency),
    ];
    await runPrepared(manager, OPEN_WALLETS, keys);
    const rows = await runPrepared<WalletRow>(manager, LOCK_WALLETS, keys);
    if (rows.length !== wallets.length) {
      throw new Error(`Locked ${rows.length} of ${wallets.length} wallets just opened`);
    }
    return rows.map(balanceRecordOf);
  }

  /**
   * Adds each change to its wallet, locked by `openAndLock` in this transaction and expected
   * unchanged since; returns the rows as the database wrote them.
   */
  async addToBalances(
    manager: EntityManager,
    changes: readonly WalletBalanceChange[],
  ): Promise<WalletBalanceRecord[]> {
    const rows = await runPrepared<WalletRow>(manager, ADD_TO_BALANCES, [
      changes.map((change) => change.locked.merchantId),
      changes.map((change) => change.locked.sellerId),
      changes.map((change) => change.locked.balance.currency),
      changes.map((change) => change.credited.amountMinor.toString()),
      changes.map((change) => change.entryCount),
      changes.map((change) => change.locked.balance.amountMinor.toString()),
      changes.map((change) => change.locked.version.toString()),
    ]);
    if (rows.length !== changes.length) {
      throw new Error(
        `${changes.length - rows.length} of ${changes.length} wallets changed under their lock`,
      );
    }
    return rows.map(balanceRecordOf);
  }

  /** Every wallet of one merchant's seller, by currency; empty if that seller was never credited. */
  async balancesOf(
    manager: EntityManager,
    merchantId: string,
    sellerId: string,
  ): Promise<WalletBalanceRecord[]> {
    const rows = (await manager.query(BALANCES_OF_SELLER_SQL, [merchantId, sellerId])) as WalletRow[];
    return rows.map(balanceRecordOf);
  }
}

function balanceRecordOf(row: WalletRow): WalletBalanceRecord {
  return {
    merchantId: row.merchant_id,
    sellerId: row.seller_id,
    balance: Money.of(BigInt(row.balance_minor), currencyOf(row.currency).code),
    version: BigInt(row.version),
    updatedAt: row.updated_at,
  };
}
