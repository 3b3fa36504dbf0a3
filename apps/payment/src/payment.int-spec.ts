// The payment service on real PostgreSQL and Kafka. One service instance runs for the whole file
// (the cases live in test/*.int-cases.ts): API keys and their administration, the pay-in flow,
// idempotency, invalid input, reads, and last the projections rebuilt from every payment made
// before. The saga's chunks and its lock order are tested in saga/payment-saga.int-spec.ts.
import { waitFor } from '@keel/testing';
import { apiKeyAdminCases } from '../test/api-key-admin.int-cases';
import { authenticationCases } from '../test/authentication.int-cases';
import { flowCases } from '../test/flow.int-cases';
import { idempotencyCases } from '../test/idempotency.int-cases';
import { methodAvailabilityCases } from '../test/method-availability.int-cases';
import { methodStatusCases } from '../test/method-status.int-cases';
import { PaymentHarness } from '../test/payment-harness';
import { queryCases } from '../test/queries.int-cases';
import { validationCases } from '../test/validation.int-cases';
import { ProjectionRebuilder } from './payments/projection-rebuilder.service';

jest.setTimeout(60_000);

let harness: PaymentHarness;

beforeAll(async () => {
  harness = await PaymentHarness.start();
});

afterAll(async () => {
  await harness.stop();
});

authenticationCases(() => harness);
apiKeyAdminCases(() => harness);
flowCases(() => harness);
idempotencyCases(() => harness);
validationCases(() => harness);
queryCases(() => harness);
methodAvailabilityCases(() => harness);
methodStatusCases(() => harness);

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
      const [row] = (await harness.dataSource.query('SELECT count(*)::int AS n FROM outbox')) as {
        n: number;
      }[];
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
