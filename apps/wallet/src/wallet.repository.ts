import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { currencyOf, Money, type CurrencyCode } from '@keel/money';

/** A seller's balance in one currency, with the version that counts its changes. */
export interface WalletBalanceRecord {
  readonly sellerId: string;
  readonly balance: Money;
  readonly version: bigint;
  readonly updatedAt: Date;
}

interface WalletRow {
  seller_id: string;
  currency: string;
  balance_minor: string;
  version: string;
  updated_at: Date;
}

const WALLET_COLUMNS = 'seller_id, currency, balance_minor, version, updated_at';

/** Locks the wallet row for the rest of the transaction, so credits to one wallet apply one at a time. */
const LOCK_WALLET_SQL = `
  SELECT ${WALLET_COLUMNS} FROM wallets
  WHERE seller_id = $1 AND currency = $2
  FOR UPDATE`;

/** A seller's first credit in a currency opens the wallet; a concurrent opener finds it there. */
const OPEN_WALLET_SQL = `
  INSERT INTO wallets (seller_id, currency) VALUES ($1, $2)
  ON CONFLICT (seller_id, currency) DO NOTHING`;

/**
 * The database adds the amount itself and only to the balance and version the caller read under
 * its lock, so the caller can compare the result with its own arithmetic. Wrapped in a CTE so the
 * driver returns the rows of a plain SELECT.
 */
const ADD_TO_BALANCE_SQL = `
  WITH changed AS (
    UPDATE wallets
    SET balance_minor = balance_minor + $3, version = version + 1, updated_at = now()
    WHERE seller_id = $1 AND currency = $2 AND balance_minor = $4 AND version = $5
    RETURNING ${WALLET_COLUMNS}
  )
  SELECT ${WALLET_COLUMNS} FROM changed`;

const BALANCES_OF_SELLER_SQL = `
  SELECT ${WALLET_COLUMNS} FROM wallets
  WHERE seller_id = $1
  ORDER BY currency`;

/** The `wallets` table: one running balance per seller and currency. */
@Injectable()
export class WalletRepository {
  /** Locks the seller's wallet in `currency`, opening it with a zero balance if it does not exist. */
  async openAndLock(
    manager: EntityManager,
    sellerId: string,
    currency: CurrencyCode,
  ): Promise<WalletBalanceRecord> {
    const existing = await this.lock(manager, sellerId, currency);
    if (existing !== undefined) return existing;
    await manager.query(OPEN_WALLET_SQL, [sellerId, currency]);
    const opened = await this.lock(manager, sellerId, currency);
    if (opened === undefined)
      throw new Error(`Wallet of seller ${sellerId} in ${currency} vanished after opening`);
    return opened;
  }

  /**
   * Adds `amount` to a wallet locked by `openAndLock` in this transaction, expecting it unchanged
   * since; returns the row as the database wrote it.
   */
  async addToBalance(
    manager: EntityManager,
    locked: WalletBalanceRecord,
    amount: Money,
  ): Promise<WalletBalanceRecord> {
    const rows = (await manager.query(ADD_TO_BALANCE_SQL, [
      locked.sellerId,
      locked.balance.currency,
      amount.amountMinor.toString(),
      locked.balance.amountMinor.toString(),
      locked.version.toString(),
    ])) as WalletRow[];
    const [row] = rows;
    if (row === undefined) {
      throw new Error(
        `Wallet of seller ${locked.sellerId} in ${locked.balance.currency} changed under its lock`,
      );
    }
    return balanceRecordOf(row);
  }

  /** Every wallet of one seller, by currency; empty if the seller was never credited. */
  async balancesOf(manager: EntityManager, sellerId: string): Promise<WalletBalanceRecord[]> {
    const rows = (await manager.query(BALANCES_OF_SELLER_SQL, [sellerId])) as WalletRow[];
    return rows.map(balanceRecordOf);
  }

  private async lock(
    manager: EntityManager,
    sellerId: string,
    currency: CurrencyCode,
  ): Promise<WalletBalanceRecord | undefined> {
    const rows = (await manager.query(LOCK_WALLET_SQL, [sellerId, currency])) as WalletRow[];
    const [row] = rows;
    return row === undefined ? undefined : balanceRecordOf(row);
  }
}

function balanceRecordOf(row: WalletRow): WalletBalanceRecord {
  return {
    sellerId: row.seller_id,
    balance: Money.of(BigInt(row.balance_minor), currencyOf(row.currency).code),
    version: BigInt(row.version),
    updatedAt: row.updated_at,
  };
}
