import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { currencyOf, Money, type CurrencyCode } from '@keel/money';
import { isWalletEntryKind, type EntryCursor, type WalletEntryKind } from '@keel/wallet-domain';

/** One immutable line of a seller's wallet history. */
export interface WalletEntryRecord {
  readonly id: bigint;
  readonly sellerId: string;
  readonly kind: WalletEntryKind;
  /** The signed change of the balance: for a payment order credit, the net amount (gross − fee). */
  readonly amount: Money;
  readonly grossAmount: Money;
  readonly feeAmount: Money;
  readonly feeBasisPoints: number;
  readonly feeRounding: string;
  readonly paymentOrderId: string;
  readonly paymentId: string;
  readonly paymentMethodType: string;
  readonly balanceAfter: Money;
  readonly createdAt: Date;
}

export type NewWalletEntry = Omit<WalletEntryRecord, 'id' | 'createdAt'>;

interface WalletEntryRow {
  id: string;
  seller_id: string;
  currency: string;
  kind: string;
  amount_minor: string;
  gross_amount_minor: string;
  fee_amount_minor: string;
  fee_basis_points: number;
  fee_rounding: string;
  payment_order_id: string;
  payment_id: string;
  payment_method_type: string;
  balance_after_minor: string;
  created_at: Date;
}

const ENTRY_COLUMNS = `id, seller_id, currency, kind, amount_minor, gross_amount_minor, fee_amount_minor,
  fee_basis_points, fee_rounding, payment_order_id, payment_id, payment_method_type, balance_after_minor,
  created_at`;

/** Nothing is inserted for a payment order that already has an entry of this kind. */
const INSERT_ENTRY_SQL = `
  INSERT INTO wallet_entries (seller_id, currency, kind, amount_minor, gross_amount_minor, fee_amount_minor,
    fee_basis_points, fee_rounding, payment_order_id, payment_id, payment_method_type, balance_after_minor)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
  ON CONFLICT (kind, payment_order_id) DO NOTHING
  RETURNING ${ENTRY_COLUMNS}`;

const ENTRY_OF_PAYMENT_ORDER_SQL = `
  SELECT ${ENTRY_COLUMNS} FROM wallet_entries
  WHERE kind = $1 AND payment_order_id = $2`;

// Two statements rather than one with "$2 IS NULL OR id < $2", so each uses the (seller_id, id) index plainly.
const NEWEST_ENTRIES_SQL = `
  SELECT ${ENTRY_COLUMNS} FROM wallet_entries
  WHERE seller_id = $1
  ORDER BY id DESC
  LIMIT $2`;

const ENTRIES_BEFORE_SQL = `
  SELECT ${ENTRY_COLUMNS} FROM wallet_entries
  WHERE seller_id = $1 AND id < $3
  ORDER BY id DESC
  LIMIT $2`;

/** The `wallet_entries` table: insert and read only; the database rejects updates and deletes. */
@Injectable()
export class WalletEntryRepository {
  /** Inserts the entry, or returns undefined if its payment order already has an entry of its kind. */
  async insert(manager: EntityManager, entry: NewWalletEntry): Promise<WalletEntryRecord | undefined> {
    const rows = (await manager.query(INSERT_ENTRY_SQL, [
      entry.sellerId,
      entry.amount.currency,
      entry.kind,
      entry.amount.amountMinor.toString(),
      entry.grossAmount.amountMinor.toString(),
      entry.feeAmount.amountMinor.toString(),
      entry.feeBasisPoints,
      entry.feeRounding,
      entry.paymentOrderId,
      entry.paymentId,
      entry.paymentMethodType,
      entry.balanceAfter.amountMinor.toString(),
    ])) as WalletEntryRow[];
    const [row] = rows;
    return row === undefined ? undefined : entryRecordOf(row);
  }

  async ofPaymentOrder(
    manager: EntityManager,
    kind: WalletEntryKind,
    paymentOrderId: string,
  ): Promise<WalletEntryRecord | undefined> {
    const rows = (await manager.query(ENTRY_OF_PAYMENT_ORDER_SQL, [
      kind,
      paymentOrderId,
    ])) as WalletEntryRow[];
    const [row] = rows;
    return row === undefined ? undefined : entryRecordOf(row);
  }

  /** Up to `count` entries of one seller, newest first, starting after `cursor` when given. */
  async newestOf(
    manager: EntityManager,
    sellerId: string,
    count: number,
    cursor: EntryCursor | undefined,
  ): Promise<WalletEntryRecord[]> {
    const rows = (
      cursor === undefined
        ? await manager.query(NEWEST_ENTRIES_SQL, [sellerId, count])
        : await manager.query(ENTRIES_BEFORE_SQL, [sellerId, count, cursor.beforeEntryId.toString()])
    ) as WalletEntryRow[];
    return rows.map(entryRecordOf);
  }
}

function entryRecordOf(row: WalletEntryRow): WalletEntryRecord {
  const currency: CurrencyCode = currencyOf(row.currency).code;
  const money = (amountMinor: string) => Money.of(BigInt(amountMinor), currency);
  if (!isWalletEntryKind(row.kind)) throw new Error(`Wallet entry ${row.id} has unknown kind ${row.kind}`);
  return {
    id: BigInt(row.id),
    sellerId: row.seller_id,
    kind: row.kind,
    amount: money(row.amount_minor),
    grossAmount: money(row.gross_amount_minor),
    feeAmount: money(row.fee_amount_minor),
    feeBasisPoints: row.fee_basis_points,
    feeRounding: row.fee_rounding,
    paymentOrderId: row.payment_order_id,
    paymentId: row.payment_id,
    paymentMethodType: row.payment_method_type,
    balanceAfter: money(row.balance_after_minor),
    createdAt: row.created_at,
  };
}
