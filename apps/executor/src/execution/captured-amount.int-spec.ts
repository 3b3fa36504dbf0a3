import { DataSource } from 'typeorm';
import { ORPHAN_CHARGE_EVENT_TYPES, PAYMENT_ORDER_EVENT_TYPES } from '@keel/contracts';
import { operatorAuthorization, waitFor } from '@keel/testing';
import {
  chargeAtAcme,
  executionRequestPayload,
  startExecutorHarness,
  type ExecutorHarness,
} from '../../test/executor-harness';

jest.setTimeout(60_000);

/** The issuer whose charges psp-sim leaves hanging, so that their outcome is unknown. */
const HANGING_ISSUER = 'hangbank';

let harness: ExecutorHarness;

beforeAll(async () => {
  harness = await startExecutorHarness({
    databaseName: 'executor_captured_amount',
    routes: [{ methodType: 'card', provider: '*', pspId: 'acme', weight: 100, enabled: true }],
  });
});

afterAll(async () => {
  await harness?.stop();
});

describe('a success an inquiry finds for another amount than the order', () => {
  it('fails the order, credits nothing and refunds what the PSP captured', async () => {
    const request = executionRequestPayload('tok_approve', { type: 'card', provider: HANGING_ISSUER });
    // A charge under the order's key for 14 000 of its 15 000 KRW, as an earlier call under that
    // key could have left; the executor's own charge hangs, so only an inquiry finds it.
    await chargeAtAcme(harness.simulator, {
      paymentOrderId: request.paymentOrderId,
      amountMinor: 14000,
      currency: 'KRW',
      instrumentToken: 'tok_approve',
    });
    const faultId = await harness.simulator.addFault({ psp: 'acme', issuer: HANGING_ISSUER, timeoutRate: 1 });
    try {
      await harness.requestExecution([request]);
      const order = await harness.paymentOrderIn(request.paymentOrderId, 'failed');

      const [charge] = await harness.simulator.charges(request.paymentOrderId);
      expect(order).toMatchObject({ pspReference: charge?.id, result: { code: 'amount_mismatch' } });
      expect(order.inquiryCount).toBeGreaterThan(0);
      // Failed, then the charge given back: never a succeeded event, so no wallet credit.
      expect(
        await harness.eventsWrittenThrough(request.paymentOrderId, ORPHAN_CHARGE_EVENT_TYPES.refunded),
      ).toEqual([
        PAYMENT_ORDER_EVENT_TYPES.failed,
        ORPHAN_CHARGE_EVENT_TYPES.detected,
        ORPHAN_CHARGE_EVENT_TYPES.refunded,
      ]);
      const refunded = await waitFor(
        async () => {
          const [current] = await harness.simulator.charges(request.paymentOrderId);
          return current?.status === 'cancelled' ? current : undefined;
        },
        { description: 'the charge refunded at psp-sim' },
      );
      expect(refunded).toMatchObject({ amountMinor: '14000', refundedAmountMinor: '14000' });
      const orphans = (await harness.app
        .get(DataSource)
        .query(
          'SELECT reason, amount_minor, currency, refund_status FROM orphan_charges WHERE payment_order_id = $1',
          [request.paymentOrderId],
        )) as Record<string, unknown>[];
      expect(orphans).toEqual([
        { reason: 'amount_mismatch', amount_minor: '14000', currency: 'KRW', refund_status: 'refunded' },
      ]);
      const metrics = await (
        await fetch(`${harness.baseUrl}/metrics`, {
          headers: { authorization: operatorAuthorization('viewer') },
        })
      ).text();
      expect(metrics).toContain(
        'keel_executor_amount_mismatches_total{psp="acme",source="inquiry",service="executor"} 1',
      );
    } finally {
      await harness.simulator.removeFault(faultId);
    }
  });
});
