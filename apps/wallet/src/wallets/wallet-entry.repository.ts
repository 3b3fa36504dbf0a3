import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedStatement, runPrepared } from '@keel/database';
import { currencyOf, Money, type CurrencyCode } from '@keel/money';
import { isWalletEntryKind, type EntryCursor, type WalletEntryKind } from '@keel/wallet-domain';

/** One immutable line of a merchant's seller's wallet history. */
export interface WalletEntryRecord {
  readonly id: bigint;
  readonly merchantId: string;
  readonly sellerId: string;
  readonly kind: WalletEntryKind;
  /** The signed change of the balance: for a payment order credit, the net amount (gross − fee). */
  readonly amount: Money;
  readonly grossAmount: Money;
  /** The platform fee the payment order's event carried. */
  readonly feeAmount: Money;
  readonly paymentOrderId: string;
  readonly paymentId: string;
  readonly paymentMethodType: string;
  readonly balanceAfter: Money;
  readonly createdAt: Date;
}

export type NewWalletEntry = Omit<WalletEntryRecord, 'id' | 'createdAt'>;

interface WalletEntryRow {
  id: string;
  merchant_id: string;
  seller_id: string;
  currency: string;
  kind: string;
  amount_minor: string;
  gross_amount_minor: string;
  fee_amount_minor: string;
  payment_order_id: string;
  payment_id: string;
  payment_method_type: string;
  balance_after_minor: string;
  created_at: Date;
}

const ENTRY_COLUMNS = `id, merchant_id, seller_id, currency, kind, amount_minor, gross_amount_minor, fee_amount_minor,
  payment_order_id, payment_id, payment_method_type, balance_after_minor, created_at`;

/**
 * One insert for the chunk's entries, in the chunk's order so that entry ids follow the balance.
 * Nothing is inserted for a payment order that already has an entry of this kind. The fee's rate
 * and rounding (fee_basis_points, fee_rounding) are left NULL: the fee comes decided in the event.
 */
const INSERT_ENTRIES = preparedStatement(
  'wallet_insert_entries',
  `INSERT INTO wallet_entries (merchant_id, seller_id, currency, kind, amount_minor, gross_amount_minor,
     fee_amount_minor, payment_order_id, payment_id, payment_method_type, balance_after_minor)
   SELECT merchant_id, seller_id, currency, kind, amount_minor, gross_amount_minor, fee_amount_minor,
     payment_order_id, payment_id, payment_method_type, balance_after_minor
   FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[],
     $8::text[], $9::text[], $10::text[], $11::bigint[])
     WITH ORDINALITY AS entry (merchant_id, seller_id, currency, kind, amount_minor, gross_amount_minor,
       fee_amount_minor, payment_order_id, payment_id, payment_method_type, balance_after_minor, position)
   ORDER BY position
   ON CONFLICT (kind, payment_order_id) DO NOTHING
   RETURNING ${ENTRY_COLUMNS}`,
);

const ENTRIES_OF_PAYMENT_ORDERS = preparedStatement(
  'wallet_entries_of_payment_orders',
  `SELECT ${ENTRY_COLUMNS} FROM wallet_entries
   WHERE kind = $1 AND payment_order_id = ANY($2::text[])`,
);

// Two statements rather than one with "$3 IS NULL OR id < $3", so each uses the
// (merchant_id, seller_id, id) index plainly.
const NEWEST_ENTRIES_SQL = `
  SELECT ${ENTRY_COLUMNS} FROM wallet_entries
  WHERE merchant_id = $1 AND seller_id = $2
  ORDER BY id DESC
  LIMIT $3`;

const ENTRIES_BEFORE_SQL = `
  SELECT ${ENTRY_COLUMNS} FROM wallet_entries
  WHERE merchant_id = $1 AND seller_id = $2 AND id < $4
  ORDER BY id DESC
  LIMIT $3`;

/** The `wallet_entries` table: insert and read only; the database rejects updates and deletes. */
@Injectable()
export class WalletEntryRepository {
  /** Inserts the entries, in order; returns those inserted, leaving out orders that had an entry of their kind. */
  async insertAll(manager: EntityManager, entries: readonly NewWalletEntry[]): Promise<WalletEntryRecord[]> {
    const column = <T>(value: (entry: NewWalletEntry) => T): T[] => entries.map(value);
    const rows = await runPrepared<WalletEntryRow>(manager, INSERT_ENTRIES, [
      column((entry) => entry.merchantId),
      column((entry) => entry.sellerId),
      column((entry) => entry.amount.currency),
      column((entry) => entry.kind),
      column((entry) => entry.amount.amountMinor.toString()),
      column((entry) => entry.grossAmount.amountMinor.toString()),
      column((entry) => entry.feeAmount.amountMinor.toString()),
      column((entry) => entry.paymentOrderId),
      column((entry) => entry.paymentId),
      column((entry) => entry.paymentMethodType),
      column((entry) => entry.balanceAfter.amountMinor.toString()),
    ]);
    return rows.map(entryRecordOf);
  }

  /** The entries of `kind` that these payment orders already have, in no particular order. */
  async ofPaymentOrders(
    manager: EntityManager,
    kind: WalletEntryKind,
    paymentOrderIds: readonly string[],
  ): Promise<WalletEntryRecord[]> {
    const rows = await runPrepared<WalletEntryRow>(manager, ENTRIES_OF_PAYMENT_ORDERS, [
      kind,
      paymentOrderIds,
    ]);
    return rows.map(entryRecordOf);
  }

  /** Up to `count` entries of one merchant's seller, newest first, starting after `cursor` when given. */
  async newestOf(
    manager: EntityManager,
    merchantId: string,
    sellerId: string,
    count: number,
    cursor: EntryCursor | undefined,
  ): Promise<WalletEntryRecord[]> {
    const rows = (
      cursor === undefined
        ? await manager.query(NEWEST_ENTRIES_SQL, [merchantId, sellerId, count])
        : await manager.query(ENTRIES_BEFORE_SQL, [
            merchantId,
            sellerId,
            count,
            cursor.beforeEntryId.toString(),
          ])
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
    merchantId: row.merchant_id,
    sellerId: row.seller_id,
    kind: row.kind,
    amount: money(row.amount_minor),
    grossAmount: money(row.gross_amount_minor),
    feeAmount: money(row.fee_amount_minor),
    paymentOrderId: row.payment_order_id,
    paymentId: row.payment_id,
    paymentMethodType: row.payment_method_type,
    balanceAfter: money(row.balance_after_minor),
    createdAt: row.created_at,
  };
}
