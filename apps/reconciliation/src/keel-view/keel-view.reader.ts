import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { currencyOf, type CurrencyCode } from '@keel/money';
import {
  contractFeeMinor,
  keelOrderStatusOf,
  type KeelOrderView,
  type SettlementPsp,
} from '@keel/reconciliation-domain';
import { storedOutcomeStatus } from './keel-view.repository';
import { KEEL_VIEW_SETTINGS, type KeelViewSettings } from './keel-view.settings';

/** The key a day's orders come sorted by, as `MATCH_KEYS` names them. */
export type KeelOrderSortKey = 'pspReference' | 'merchantReference';

/** A sum in one currency. */
export interface CurrencyTotal {
  readonly currency: CurrencyCode;
  readonly amountMinor: bigint;
}

interface OrderViewRow {
  payment_order_id: string;
  psp_reference: string | null;
  status: string | null;
  amount_minor: string;
  currency: string;
  charged_on: string | null;
  refunded_minor: string;
}

interface CurrencyTotalRow {
  currency: string;
  amount_minor: string;
}

// The instants a day in `$3`'s zone starts and ends, DST-correct (a day may be 23 or 25 hours).
const DAY_BOUNDS = `bounds AS (
  SELECT ($2::date)::timestamp AT TIME ZONE $3 AS day_start, ($2::date + 1)::timestamp AT TIME ZONE $3 AS day_end
)`;

/**
 * A PSP's orders of one day: those whose outcome there (or orphan charge, with no outcome) fell on
 * the day, and those Keel refunded on the day, with what was refunded that day. Each branch reads
 * its own index; the union gives each order once.
 */
function ordersOfDaySql(key: KeelOrderSortKey): string {
  const [where, orderBy] =
    key === 'pspReference'
      ? ['AND o.psp_reference IS NOT NULL', 'o.psp_reference COLLATE "C"']
      : ['', 'o.payment_order_id COLLATE "C"'];
  return `WITH ${DAY_BOUNDS},
    refunded AS (
      SELECT r.payment_order_id, sum(r.amount_minor) AS refunded_minor
      FROM keel_refunds r, bounds b
      WHERE r.psp = $1 AND r.refunded_at >= b.day_start AND r.refunded_at < b.day_end
      GROUP BY r.payment_order_id
    ),
    day_orders AS (
      SELECT o.payment_order_id FROM keel_payment_orders o, bounds b
      WHERE o.psp = $1 AND o.outcome_at >= b.day_start AND o.outcome_at < b.day_end
      UNION
      SELECT payment_order_id FROM refunded
    )
    SELECT o.payment_order_id, o.psp_reference, o.status, o.amount_minor, o.currency,
      CASE WHEN o.status = 'succeeded' THEN to_char(o.outcome_at AT TIME ZONE $3, 'YYYY-MM-DD') END AS charged_on,
      COALESCE(r.refunded_minor, 0) AS refunded_minor
    FROM day_orders d
    JOIN keel_payment_orders o ON o.psp = $1 AND o.payment_order_id = d.payment_order_id
    LEFT JOIN refunded r ON r.payment_order_id = o.payment_order_id
    WHERE true ${where}
    ORDER BY ${orderBy}`;
}

const CLEARING_OF_DAY_SQL = `WITH ${DAY_BOUNDS}
  SELECT m.currency, sum(m.amount_minor) AS amount_minor
  FROM keel_psp_clearing_movements m, bounds b
  WHERE m.psp = $1 AND m.recorded_at >= b.day_start AND m.recorded_at < b.day_end
  GROUP BY m.currency
  ORDER BY m.currency`;

const WALLET_TOTALS_SQL = `SELECT currency, sum(credited_minor) AS amount_minor
  FROM keel_wallet_totals GROUP BY currency ORDER BY currency`;

const CURSOR_NAME = 'keel_orders_of_day';

/** What the matcher and the three-way check read of Keel's view. */
@Injectable()
export class KeelViewReader {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(KEEL_VIEW_SETTINGS) private readonly settings: KeelViewSettings,
  ) {}

  /**
   * Keel's orders at `psp` for `date` (`YYYY-MM-DD`, a day in the PSP's `zone`), sorted by `key` in
   * byte order (`COLLATE "C"`, as mergeJoin compares): by PSP reference only the orders that hold
   * one, by merchant reference (the order id) all of them. Read through a server-side cursor in a
   * read-only snapshot, `RECON_VIEW_FETCH_ROWS` at a time, so memory holds one fetch whatever the
   * day's size; the connection is held until the iteration ends (or is abandoned).
   */
  async *keelOrdersOfDay(
    psp: SettlementPsp,
    date: string,
    zone: string,
    key: KeelOrderSortKey,
  ): AsyncGenerator<KeelOrderView> {
    const contract = this.settings.feeContracts[psp];
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    let open = false;
    try {
      await runner.startTransaction('REPEATABLE READ');
      open = true;
      await runner.query('SET TRANSACTION READ ONLY');
      await runner.query(`DECLARE ${CURSOR_NAME} NO SCROLL CURSOR FOR ${ordersOfDaySql(key)}`, [
        psp,
        date,
        zone,
      ]);
      for (;;) {
        const rows = await fetchRows(runner, this.settings.fetchRows);
        for (const row of rows) {
          const currency = currencyOf(row.currency).code;
          const amountMinor = BigInt(row.amount_minor);
          yield {
            merchantReference: row.payment_order_id,
            pspReference: row.psp_reference ?? undefined,
            status: keelOrderStatusOf(storedOutcomeStatus(row.status, row.payment_order_id)),
            amountMinor,
            currency,
            chargedOn: row.charged_on ?? undefined,
            refundedMinor: BigInt(row.refunded_minor),
            expectedFeeMinor: contractFeeMinor(contract, amountMinor, currency),
          };
        }
        if (rows.length < this.settings.fetchRows) break;
      }
    } finally {
      // A read-only transaction: rolling back ends it and closes the cursor.
      if (open) await runner.rollbackTransaction();
      await runner.release();
    }
  }

  /** What the ledger moved on `psp`'s clearing accounts on `date` in `zone` (by its recording instant), per currency. */
  async pspClearingOfDay(psp: string, date: string, zone: string): Promise<CurrencyTotal[]> {
    return totalsOf(await this.dataSource.query(CLEARING_OF_DAY_SQL, [psp, date, zone]));
  }

  /** Every wallet credit reconciliation has seen, summed per currency. */
  async walletTotalsByCurrency(): Promise<CurrencyTotal[]> {
    return totalsOf(await this.dataSource.query(WALLET_TOTALS_SQL));
  }
}

async function fetchRows(runner: QueryRunner, count: number): Promise<OrderViewRow[]> {
  return (await runner.query(`FETCH FORWARD ${count} FROM ${CURSOR_NAME}`)) as OrderViewRow[];
}

function totalsOf(rows: readonly CurrencyTotalRow[]): CurrencyTotal[] {
  return rows.map((row) => ({
    currency: currencyOf(row.currency).code,
    amountMinor: BigInt(row.amount_minor),
  }));
}
