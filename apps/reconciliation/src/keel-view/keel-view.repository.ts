import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedStatement, runPrepared } from '@keel/database';
import { currencyOf } from '@keel/money';
import {
  KEEL_OUTCOME_STATUSES,
  recordKeyOf,
  type KeelOutcomeStatus,
  type KeelPaymentOrderRecord,
} from '@keel/reconciliation-domain';

/** A refund Keel made at a PSP, as its event announced it. */
export interface KeelRefund {
  readonly psp: string;
  readonly refundReference: string;
  readonly paymentOrderId: string;
  readonly pspReference: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly refundedAt: Date;
}

/** What one ledger transaction moved on one PSP's clearing account in one currency. */
export interface KeelClearingMovement {
  readonly transactionId: string;
  readonly psp: string;
  readonly currency: string;
  readonly amountMinor: bigint;
  readonly kind: string;
  readonly paymentOrderId: string;
  readonly recordedAt: Date;
}

/** What one ledger transaction moved on one seller payable account (credits positive). */
export interface KeelSellerPayableMovement {
  readonly transactionId: string;
  readonly accountId: string;
  readonly currency: string;
  readonly amountMinor: bigint;
  readonly paymentOrderId: string;
  readonly recordedAt: Date;
}

/** One payment order's credit to its merchant's seller, net of the platform fee. */
export interface KeelWalletCredit {
  readonly paymentOrderId: string;
  readonly merchantId: string;
  readonly sellerId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly creditedAt: Date;
}

interface PaymentOrderRow {
  psp: string;
  payment_order_id: string;
  merchant_id: string | null;
  psp_reference: string | null;
  amount_minor: string;
  currency: string;
  status: string | null;
  outcome_at: Date;
  orphan_detected_at: Date | null;
}

interface WalletCreditRow {
  payment_order_id: string;
  merchant_id: string;
  seller_id: string;
  amount_minor: string;
  currency: string;
}

const ORDER_COLUMNS = `psp, payment_order_id, merchant_id, psp_reference, amount_minor, currency, status,
  outcome_at, orphan_detected_at`;

// Rows are locked in key order ("C" columns): two chunks touching the same orders never deadlock.
const LOCK_ORDERS = preparedStatement(
  'recon_keel_orders_lock',
  `SELECT ${ORDER_COLUMNS} FROM keel_payment_orders
   WHERE (psp, payment_order_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
   ORDER BY psp, payment_order_id
   FOR UPDATE`,
);

// The records come folded and sorted by key: each row is written once, in key order.
const UPSERT_ORDERS = preparedStatement(
  'recon_keel_orders_upsert',
  `INSERT INTO keel_payment_orders (${ORDER_COLUMNS})
   SELECT psp, payment_order_id, merchant_id, psp_reference, amount_minor, currency, status, outcome_at,
     orphan_detected_at
   FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[],
     $8::timestamptz[], $9::timestamptz[])
     WITH ORDINALITY AS record (psp, payment_order_id, merchant_id, psp_reference, amount_minor, currency,
       status, outcome_at, orphan_detected_at, position)
   ORDER BY position
   ON CONFLICT (psp, payment_order_id) DO UPDATE SET
     merchant_id = excluded.merchant_id,
     psp_reference = excluded.psp_reference,
     amount_minor = excluded.amount_minor,
     currency = excluded.currency,
     status = excluded.status,
     outcome_at = excluded.outcome_at,
     orphan_detected_at = excluded.orphan_detected_at,
     updated_at = now()`,
);

// A refund reference is the PSP's own: delivered again it is the same refund.
const INSERT_REFUNDS = preparedStatement(
  'recon_keel_refunds_insert',
  `INSERT INTO keel_refunds (psp, refund_reference, payment_order_id, psp_reference, amount_minor, currency,
     refunded_at)
   SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[],
     $7::timestamptz[])
   ORDER BY 1, 2
   ON CONFLICT (psp, refund_reference) DO NOTHING`,
);

// A ledger transaction is immutable and its id unique: delivered again it moves nothing new.
const INSERT_CLEARING_MOVEMENTS = preparedStatement(
  'recon_keel_clearing_insert',
  `INSERT INTO keel_psp_clearing_movements (transaction_id, psp, currency, amount_minor, kind, payment_order_id,
     recorded_at)
   SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[],
     $7::timestamptz[])
   ORDER BY 1, 2, 3
   ON CONFLICT (transaction_id, psp, currency) DO NOTHING`,
);

// A movement is recorded once per transaction and account; only those new to the table are added
// to their account's balance, in account order, whichever chunk adds to it.
const ADD_SELLER_PAYABLE_MOVEMENTS = preparedStatement(
  'recon_keel_seller_payables_add',
  `WITH inserted AS (
     INSERT INTO keel_seller_payable_movements (transaction_id, account_id, currency, amount_minor, payment_order_id,
       recorded_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::timestamptz[])
     ORDER BY 1, 2
     ON CONFLICT (transaction_id, account_id) DO NOTHING
     RETURNING account_id, currency, amount_minor
   )
   INSERT INTO keel_seller_payables AS payable (account_id, currency, balance_minor, movements)
   SELECT account_id, currency, sum(amount_minor), count(*) FROM inserted
   GROUP BY account_id, currency
   ORDER BY account_id
   ON CONFLICT (account_id) DO UPDATE SET
     balance_minor = payable.balance_minor + excluded.balance_minor,
     movements = payable.movements + excluded.movements`,
);

const INSERT_WALLET_CREDITS = preparedStatement(
  'recon_keel_wallet_credits_insert',
  `INSERT INTO keel_wallet_credits (payment_order_id, merchant_id, seller_id, amount_minor, currency, credited_at)
   SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::timestamptz[])
   ORDER BY 1
   ON CONFLICT (payment_order_id) DO NOTHING
   RETURNING payment_order_id, merchant_id, seller_id, amount_minor, currency`,
);

const WALLET_CREDITS_OF_ORDERS = preparedStatement(
  'recon_keel_wallet_credits_of_orders',
  `SELECT payment_order_id, merchant_id, seller_id, amount_minor, currency, credited_at FROM keel_wallet_credits
   WHERE payment_order_id = ANY($1::text[])`,
);

// Totals rows are locked in (merchant, seller, currency) order, whichever chunk adds to them.
const ADD_TO_WALLET_TOTALS = preparedStatement(
  'recon_keel_wallet_totals_add',
  `INSERT INTO keel_wallet_totals AS total (merchant_id, seller_id, currency, credited_minor, credits)
   SELECT merchant_id, seller_id, currency, sum(amount_minor), count(*)
   FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
     AS credit (merchant_id, seller_id, currency, amount_minor)
   GROUP BY merchant_id, seller_id, currency
   ORDER BY merchant_id COLLATE "C", seller_id COLLATE "C", currency
   ON CONFLICT (merchant_id, seller_id, currency) DO UPDATE SET
     credited_minor = total.credited_minor + excluded.credited_minor,
     credits = total.credits + excluded.credits`,
);

/** Keel's view's tables, written set-based in the inbox transaction of a chunk. */
@Injectable()
export class KeelViewRepository {
  /** The stored records of these orders, locked for the rest of the transaction, by `recordKeyOf`. */
  async lockPaymentOrders(
    manager: EntityManager,
    keys: readonly Pick<KeelPaymentOrderRecord, 'psp' | 'paymentOrderId'>[],
  ): Promise<Map<string, KeelPaymentOrderRecord>> {
    if (keys.length === 0) return new Map();
    const rows = await runPrepared<PaymentOrderRow>(manager, LOCK_ORDERS, [
      keys.map((key) => key.psp),
      keys.map((key) => key.paymentOrderId),
    ]);
    return new Map(rows.map((row) => [recordKeyOf(recordOf(row)), recordOf(row)]));
  }

  /** Writes the records, sorted by key, over what is stored. */
  async writePaymentOrders(
    manager: EntityManager,
    records: readonly KeelPaymentOrderRecord[],
  ): Promise<void> {
    if (records.length === 0) return;
    const column = <T>(value: (record: KeelPaymentOrderRecord) => T): T[] => records.map(value);
    await runPrepared(manager, UPSERT_ORDERS, [
      column((record) => record.psp),
      column((record) => record.paymentOrderId),
      column((record) => record.merchantId ?? null),
      column((record) => record.pspReference ?? null),
      column((record) => record.amountMinor.toString()),
      column((record) => record.currency),
      column((record) => record.status ?? null),
      column((record) => record.outcomeAt.toISOString()),
      column((record) => record.orphanDetectedAt?.toISOString() ?? null),
    ]);
  }

  async insertRefunds(manager: EntityManager, refunds: readonly KeelRefund[]): Promise<void> {
    if (refunds.length === 0) return;
    const column = <T>(value: (refund: KeelRefund) => T): T[] => refunds.map(value);
    await runPrepared(manager, INSERT_REFUNDS, [
      column((refund) => refund.psp),
      column((refund) => refund.refundReference),
      column((refund) => refund.paymentOrderId),
      column((refund) => refund.pspReference),
      column((refund) => refund.amountMinor.toString()),
      column((refund) => refund.currency),
      column((refund) => refund.refundedAt.toISOString()),
    ]);
  }

  async insertClearingMovements(
    manager: EntityManager,
    movements: readonly KeelClearingMovement[],
  ): Promise<void> {
    if (movements.length === 0) return;
    const column = <T>(value: (movement: KeelClearingMovement) => T): T[] => movements.map(value);
    await runPrepared(manager, INSERT_CLEARING_MOVEMENTS, [
      column((movement) => movement.transactionId),
      column((movement) => movement.psp),
      column((movement) => movement.currency),
      column((movement) => movement.amountMinor.toString()),
      column((movement) => movement.kind),
      column((movement) => movement.paymentOrderId),
      column((movement) => movement.recordedAt.toISOString()),
    ]);
  }

  /** Records the movements not recorded before and adds them to their accounts' balances. */
  async addSellerPayableMovements(
    manager: EntityManager,
    movements: readonly KeelSellerPayableMovement[],
  ): Promise<void> {
    if (movements.length === 0) return;
    const column = <T>(value: (movement: KeelSellerPayableMovement) => T): T[] => movements.map(value);
    await runPrepared(manager, ADD_SELLER_PAYABLE_MOVEMENTS, [
      column((movement) => movement.transactionId),
      column((movement) => movement.accountId),
      column((movement) => movement.currency),
      column((movement) => movement.amountMinor.toString()),
      column((movement) => movement.paymentOrderId),
      column((movement) => movement.recordedAt.toISOString()),
    ]);
  }

  /**
   * Records the credits of orders not credited before (one per payment order) and adds them to
   * their totals. Returns the credits stored before for the other orders, to be checked against.
   */
  async addWalletCredits(
    manager: EntityManager,
    credits: readonly KeelWalletCredit[],
  ): Promise<Map<string, KeelWalletCredit>> {
    if (credits.length === 0) return new Map();
    const column = <T>(value: (credit: KeelWalletCredit) => T): T[] => credits.map(value);
    const inserted = await runPrepared<WalletCreditRow>(manager, INSERT_WALLET_CREDITS, [
      column((credit) => credit.paymentOrderId),
      column((credit) => credit.merchantId),
      column((credit) => credit.sellerId),
      column((credit) => credit.amountMinor.toString()),
      column((credit) => credit.currency),
      column((credit) => credit.creditedAt.toISOString()),
    ]);
    if (inserted.length > 0) {
      await runPrepared(manager, ADD_TO_WALLET_TOTALS, [
        inserted.map((row) => row.merchant_id),
        inserted.map((row) => row.seller_id),
        inserted.map((row) => row.currency),
        inserted.map((row) => row.amount_minor),
      ]);
    }
    if (inserted.length === credits.length) return new Map();
    const insertedIds = new Set(inserted.map((row) => row.payment_order_id));
    const earlier = await runPrepared<WalletCreditRow & { credited_at: Date }>(
      manager,
      WALLET_CREDITS_OF_ORDERS,
      [credits.map((credit) => credit.paymentOrderId).filter((id) => !insertedIds.has(id))],
    );
    return new Map(
      earlier.map((row) => [
        row.payment_order_id,
        {
          paymentOrderId: row.payment_order_id,
          merchantId: row.merchant_id,
          sellerId: row.seller_id,
          amountMinor: BigInt(row.amount_minor),
          currency: row.currency,
          creditedAt: row.credited_at,
        },
      ]),
    );
  }
}

function recordOf(row: PaymentOrderRow): KeelPaymentOrderRecord {
  return {
    psp: row.psp,
    paymentOrderId: row.payment_order_id,
    merchantId: row.merchant_id ?? undefined,
    pspReference: row.psp_reference ?? undefined,
    amountMinor: BigInt(row.amount_minor),
    currency: currencyOf(row.currency).code,
    status: storedOutcomeStatus(row.status, row.payment_order_id),
    outcomeAt: row.outcome_at,
    orphanDetectedAt: row.orphan_detected_at ?? undefined,
  };
}

/** A stored status column read back: NULL while only an orphan charge is known. */
export function storedOutcomeStatus(
  status: string | null,
  paymentOrderId: string,
): KeelOutcomeStatus | undefined {
  if (status === null) return undefined;
  if (!(KEEL_OUTCOME_STATUSES as readonly string[]).includes(status)) {
    throw new Error(`keel_payment_orders ${paymentOrderId} has unknown status ${status}`);
  }
  return status as KeelOutcomeStatus;
}
