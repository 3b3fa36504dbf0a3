// The payment service on real PostgreSQL and Kafka. One service instance runs for the whole file
// (the cases live in test/*.int-cases.ts): the pay-in flow, idempotency, invalid input, reads, the
// event store's version race, and last the projections rebuilt from every payment made before.
import { waitFor } from '@keel/testing';
import { flowCases } from '../test/flow.int-cases';
import { idempotencyCases } from '../test/idempotency.int-cases';
import { methodAvailabilityCases } from '../test/method-availability.int-cases';
import { newMerchant } from '../test/payment-fixtures';
import { PaymentHarness } from '../test/payment-harness';
import { queryCases } from '../test/queries.int-cases';
import { validationCases } from '../test/validation.int-cases';
import { PaymentStore } from './payments/payment-store.service';
import { ProjectionRebuilder } from './payments/projection-rebuilder.service';

jest.setTimeout(60_000);

let harness: PaymentHarness;

beforeAll(async () => {
  harness = await PaymentHarness.start();
});

afterAll(async () => {
  await harness.stop();
});

flowCases(() => harness);
idempotencyCases(() => harness);
validationCases(() => harness);
queryCases(() => harness);
methodAvailabilityCases(() => harness);

describe('the event store', () => {
  it('makes a concurrent writer of one payment wait for the first, so both facts are kept in order', async () => {
    const merchantId = newMerchant();
    const payment = await harness.accepted(merchantId);
    const [first] = payment.orders;
    if (first === undefined) throw new Error('an order expected');
    const store = harness.app.get(PaymentStore);
    const at = new Date().toISOString();
    let releaseFirst: () => void = () => undefined;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstAppended: () => void = () => undefined;
    const firstHasAppended = new Promise<void>((resolve) => (firstAppended = resolve));

    const winner = harness.dataSource.transaction(async (manager) => {
      await store.execute(manager, payment.id, {
        kind: 'RecordWalletCredit',
        occurredAt: at,
        paymentOrderId: first.id,
        sellerId: first.sellerId,
        amountMinor: BigInt(first.amount.amountMinor),
        currency: first.amount.currency,
      });
      firstAppended();
      await firstHolds;
    });
    await firstHasAppended;
    // The second writer queues on the payment's row lock until the first commits.
    const loser = harness.dataSource.transaction((manager) =>
      store.execute(manager, payment.id, {
        kind: 'RecordLedgerTransaction',
        occurredAt: at,
        paymentOrderId: first.id,
        ledgerTransactionId: 'ltx-race',
      }),
    );
    await waitFor(
      async () => {
        const [row] = (await harness.dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'
              AND query LIKE 'SELECT 1 FROM payments WHERE id = $1 FOR UPDATE'`,
        )) as { n: number }[];
        return (row?.n ?? 0) > 0;
      },
      { description: "the second writer waiting on the payment's row lock" },
    );
    releaseFirst();
    await winner;
    const decision = await loser;
    expect(decision.events.map((event) => event.type)).toEqual(['OrderRecordedInLedger']);
    const rows = (await harness.dataSource.query(
      'SELECT version, type FROM payment_events WHERE payment_id = $1 ORDER BY version',
      [payment.id],
    )) as { version: number; type: string }[];
    expect(rows.map((row) => row.version)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.slice(3).map((row) => row.type)).toEqual(['OrderCreditedToWallet', 'OrderRecordedInLedger']);
    const [order] = (await harness.dataSource.query(
      'SELECT wallet_credited_at IS NOT NULL AS credited, ledger_transaction_id FROM payment_orders WHERE id = $1',
      [first.id],
    )) as { credited: boolean; ledger_transaction_id: string }[];
    expect(order).toEqual({ credited: true, ledger_transaction_id: 'ltx-race' });
  });
});

describe('projections', () => {
  const TABLES = {
    payments: 'SELECT * FROM payments ORDER BY id',
    payment_orders: 'SELECT * FROM payment_orders ORDER BY id',
    payment_status_history: 'SELECT * FROM payment_status_history ORDER BY payment_id, version, ordinal',
  };

  async function snapshot(): Promise<Record<string, unknown[]>> {
    const entries = await Promise.all(
      Object.entries(TABLES).map(async ([table, sql]) => [
        table,
        (await harness.dataSource.query(sql)) as unknown[],
      ]),
    );
    return Object.fromEntries(entries) as Record<string, unknown[]>;
  }

  it('rebuilds every projection from the events, equal to the live tables', async () => {
    // Every earlier test left payments in every status; wait until the saga is idle.
    await waitFor(async () => {
      const [row] = (await harness.dataSource.query(
        'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
      )) as { n: number }[];
      return row?.n === 0;
    });
    const live = await snapshot();
    expect(live['payments']?.length).toBeGreaterThan(10);
    const statuses = new Set((live['payments'] as { status: string }[]).map((row) => row.status));
    expect([...statuses].sort()).toEqual(['completed', 'failed', 'partially_failed', 'processing']);
    // Damage the projections, so the rebuild has to restore them.
    await harness.dataSource.query("UPDATE payments SET status = 'completed'");
    await harness.dataSource.query('DELETE FROM payment_status_history WHERE version > 1');

    const rebuilt = await harness.app.get(ProjectionRebuilder).rebuild(7);
    expect(rebuilt).toBe(live['payments']?.length);
    expect(await snapshot()).toEqual(live);
  });
});
