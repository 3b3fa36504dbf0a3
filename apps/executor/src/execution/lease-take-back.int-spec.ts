import { DataSource } from 'typeorm';
import type { PaymentOrderExecutionRequestedPayload } from '@keel/contracts';
import { waitFor } from '@keel/testing';
import {
  chargeAtAcme,
  executionRequestPayload,
  startExecutorHarness,
  type ExecutorHarness,
} from '../../test/executor-harness';

jest.setTimeout(90_000);

/** Far beyond the test: an order still leased at the end was never taken over by its lease's expiry. */
const FAR_LEASE = `interval '1 hour'`;
/** How long a taken-back order may take to end once its executor is back (the drill's target is 15 s). */
const TAKE_BACK_DEADLINE_MS = 10_000;
/** Slower than a poll, faster than PSP_TIMEOUT_MS (1 s in the harness): a charge seen in flight. */
const SLOW_ISSUER_LATENCY_MS = 700;

interface LeaseRow {
  status: string;
  lease_holder: string | null;
  lease_expires_at: Date | null;
}

let harness: ExecutorHarness;

beforeAll(async () => {
  harness = await startExecutorHarness({
    databaseName: 'executor_lease_take_back',
    environment: { KEEL_INSTANCE_ID: '0' },
    routes: [{ methodType: 'card', provider: '*', pspId: 'acme', weight: 100, enabled: true }],
  });
});

afterAll(async () => {
  await harness?.stop();
});

function cardRequest(provider?: string): PaymentOrderExecutionRequestedPayload {
  return executionRequestPayload(
    'tok_approve',
    provider === undefined ? { type: 'card' } : { type: 'card', provider },
  );
}

function dataSource(): DataSource {
  return harness.app.get(DataSource);
}

async function leaseOf(paymentOrderId: string): Promise<LeaseRow> {
  const [row] = (await dataSource().query(
    'SELECT status, lease_holder, lease_expires_at FROM payment_orders WHERE payment_order_id = $1',
    [paymentOrderId],
  )) as LeaseRow[];
  if (row === undefined) throw new Error(`payment order ${paymentOrderId} is not stored`);
  return row;
}

/** An order as a killed executor left it: claimed under `holder`, its charge attempt committed and open. */
async function insertLeasedOrder(
  request: PaymentOrderExecutionRequestedPayload,
  holder: string,
): Promise<void> {
  await dataSource().transaction(async (manager) => {
    await manager.query(
      `INSERT INTO payment_orders (payment_order_id, payment_id, merchant_id, seller_id, amount_minor, currency,
         method_type, instrument_token, status, psp_id, attempts, lease_expires_at, lease_holder, requested_at)
       VALUES ($1, $2, 'merchant-1', 'seller-1', 15000, 'KRW', 'card', 'tok_approve', 'executing', 'acme', 1,
         now() + ${FAR_LEASE}, $3, now())`,
      [request.paymentOrderId, request.paymentId, holder],
    );
    await manager.query(
      `INSERT INTO payment_order_attempts (payment_order_id, kind, psp_id, reason)
       VALUES ($1, 'charge', 'acme', 'weighted')`,
      [request.paymentOrderId],
    );
  });
}

describe('leases and KEEL_INSTANCE_ID', () => {
  it('writes its instance id on every lease it takes and clears it with the lease', async () => {
    const faultId = await harness.simulator.addFault({
      psp: 'acme',
      issuer: 'slow-bank',
      latencyMs: SLOW_ISSUER_LATENCY_MS,
    });
    try {
      // One claimed at intake, one by the worker's poll (left `created` as another executor might).
      const atIntake = cardRequest('slow-bank');
      const atPoll = cardRequest('slow-bank');
      await dataSource().query(
        `INSERT INTO payment_orders (payment_order_id, payment_id, merchant_id, seller_id, amount_minor, currency,
           method_type, method_provider, instrument_token, status, requested_at)
         VALUES ($1, $2, 'merchant-1', 'seller-1', 15000, 'KRW', 'card', 'slow-bank', 'tok_approve', 'created', now())`,
        [atPoll.paymentOrderId, atPoll.paymentId],
      );
      await harness.requestExecution([atIntake]);

      for (const request of [atIntake, atPoll]) {
        const charging = await waitFor(
          async () => {
            const row = await leaseOf(request.paymentOrderId);
            return row.status === 'executing' && row;
          },
          { description: `payment order ${request.paymentOrderId} executing` },
        );
        expect(charging.lease_holder).toBe('0');
        expect(charging.lease_expires_at).not.toBeNull();
      }
      for (const request of [atIntake, atPoll]) {
        await harness.paymentOrderIn(request.paymentOrderId, 'succeeded');
        expect(await leaseOf(request.paymentOrderId)).toMatchObject({
          lease_holder: null,
          lease_expires_at: null,
        });
      }
    } finally {
      await harness.simulator.removeFault(faultId);
    }
  });

  it('takes back at start the leases its instance id holds; those of other instances wait for their expiry', async () => {
    const charged = cardRequest();
    const neverSent = cardRequest();
    const otherInstance = cardRequest();
    // The killed run of instance 0 got as far as the PSP for one order and not for the other.
    await chargeAtAcme(harness.simulator, {
      paymentOrderId: charged.paymentOrderId,
      amountMinor: 15000,
      currency: 'KRW',
      instrumentToken: 'tok_approve',
    });
    await insertLeasedOrder(charged, '0');
    await insertLeasedOrder(neverSent, '0');
    await insertLeasedOrder(otherInstance, '1');
    const otherLease = await leaseOf(otherInstance.paymentOrderId);

    await harness.restart();
    const [chargedOrder, neverSentOrder] = await Promise.all([
      harness.paymentOrderIn(charged.paymentOrderId, 'succeeded', TAKE_BACK_DEADLINE_MS),
      harness.paymentOrderIn(neverSent.paymentOrderId, 'succeeded', TAKE_BACK_DEADLINE_MS),
    ]);

    // Found by inquiry under its key, never charged again.
    expect(await harness.simulator.charges(charged.paymentOrderId)).toEqual([
      expect.objectContaining({ attempts: 1 }),
    ]);
    expect(chargedOrder.attempts).toEqual([
      expect.objectContaining({ kind: 'charge', outcome: 'abandoned' }),
      expect.objectContaining({ kind: 'inquiry', outcome: 'succeeded' }),
    ]);
    // Nothing at the PSP: charged only then, under the same key.
    expect(await harness.simulator.charges(neverSent.paymentOrderId)).toHaveLength(1);
    expect(neverSentOrder.attempts).toEqual([
      expect.objectContaining({ kind: 'charge', outcome: 'abandoned' }),
      expect.objectContaining({ kind: 'inquiry', outcome: 'not_found' }),
      expect.objectContaining({ kind: 'charge', outcome: 'succeeded' }),
    ]);

    // Another instance's call may still be running: its lease is left as it was.
    expect(await leaseOf(otherInstance.paymentOrderId)).toEqual(otherLease);
    expect(await harness.simulator.charges(otherInstance.paymentOrderId)).toHaveLength(0);
    // Once it expires, the lease recovery takes it over as before.
    await dataSource().query(
      `UPDATE payment_orders SET lease_expires_at = now() - interval '1 millisecond' WHERE payment_order_id = $1`,
      [otherInstance.paymentOrderId],
    );
    await harness.paymentOrderIn(otherInstance.paymentOrderId, 'succeeded');
    expect(await harness.simulator.charges(otherInstance.paymentOrderId)).toHaveLength(1);
  });

  it('takes nothing back when started without KEEL_INSTANCE_ID', async () => {
    const leased = cardRequest();
    await insertLeasedOrder(leased, '0');
    const lease = await leaseOf(leased.paymentOrderId);

    // The take-back runs before the start completes: had it run, the lease would be over by now.
    await harness.restart({ KEEL_INSTANCE_ID: undefined });
    expect(await leaseOf(leased.paymentOrderId)).toEqual(lease);
    expect(lease.lease_expires_at?.getTime()).toBeGreaterThan(Date.now());
  });
});
