import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  buildEnvelope,
  ORPHAN_CHARGE_EVENT_TYPES,
  RECONCILIATION_EVENT_TYPES,
  TOPICS,
  type EventEnvelope,
  type ReconciliationOrphanRefundRequestedPayload,
} from '@keel/contracts';
import {
  executionRequestPayload,
  startExecutorHarness,
  type ExecutorHarness,
} from '../../test/executor-harness';

jest.setTimeout(120_000);

let harness: ExecutorHarness;

beforeAll(async () => {
  harness = await startExecutorHarness({
    databaseName: 'executor_settlement_refund',
    partitions: 1,
    routes: [{ methodType: 'card', provider: '*', pspId: 'acme', weight: 100, enabled: true }],
  });
});

afterAll(async () => {
  await harness?.stop();
});

interface OrphanRow {
  payment_order_id: string;
  payment_id: string;
  psp_reference: string;
  amount_minor: string;
  reason: string;
  refund_status: string;
}

function orphansOf(paymentOrderId: string): Promise<OrphanRow[]> {
  return harness.app.get(DataSource).query(
    `SELECT payment_order_id, payment_id, psp_reference, amount_minor::text, reason, refund_status
       FROM orphan_charges WHERE payment_order_id = $1`,
    [paymentOrderId],
  ) as Promise<OrphanRow[]>;
}

function refundRequest(
  data: Pick<ReconciliationOrphanRefundRequestedPayload, 'paymentOrderId' | 'pspReference'> & {
    amountMinor: string;
    discrepancyId?: string;
  },
): EventEnvelope {
  return buildEnvelope({
    type: RECONCILIATION_EVENT_TYPES.orphanRefundRequested,
    source: '/keel/reconciliation',
    data: {
      discrepancyId: data.discrepancyId ?? randomUUID(),
      runId: randomUUID(),
      pspId: 'acme',
      settlementDate: '2026-01-01',
      paymentOrderId: data.paymentOrderId,
      pspReference: data.pspReference,
      amount: { amountMinor: data.amountMinor, currency: 'KRW' },
      requestedAt: new Date().toISOString(),
    } satisfies ReconciliationOrphanRefundRequestedPayload,
  });
}

/** A charge at acme for an order this executor never held, as a settlement file would show it. */
async function chargeKeelNeverSaw(amountMinor: number): Promise<{ orderId: string; chargeId: string }> {
  const orderId = `po_${randomUUID()}`;
  const fault = await harness.simulator.addSettlementFault({
    psp: 'acme',
    kind: 'unknown_charge',
    amountMinor,
    currency: 'KRW',
    occurredAtMs: Date.now(),
    merchantReference: orderId,
  });
  return { orderId, chargeId: fault.chargeId as string };
}

describe("reconciliation's refund requests", () => {
  it('refunds a charge of an order the executor never held once, however often it is asked', async () => {
    const charge = await chargeKeelNeverSaw(30_000);
    const request = { paymentOrderId: charge.orderId, pspReference: charge.chargeId, amountMinor: '30000' };
    const discrepancyId = randomUUID();
    // The same discrepancy twice in one chunk, then once more (a re-run) and under another discrepancy id.
    await harness.publish(TOPICS.reconciliation, [
      refundRequest({ ...request, discrepancyId }),
      refundRequest({ ...request, discrepancyId }),
    ]);
    await harness.eventsWrittenThrough(charge.orderId, ORPHAN_CHARGE_EVENT_TYPES.refunded);
    await harness.publish(TOPICS.reconciliation, [
      refundRequest({ ...request, discrepancyId }),
      refundRequest(request),
    ]);
    const later = await chargeKeelNeverSaw(1_000);
    await harness.publish(TOPICS.reconciliation, [
      refundRequest({ paymentOrderId: later.orderId, pspReference: later.chargeId, amountMinor: '1000' }),
    ]);
    await harness.eventsWrittenThrough(later.orderId, ORPHAN_CHARGE_EVENT_TYPES.refunded);

    expect(await orphansOf(charge.orderId)).toEqual([
      {
        payment_order_id: charge.orderId,
        payment_id: 'unknown',
        psp_reference: charge.chargeId,
        amount_minor: '30000',
        reason: 'settlement',
        refund_status: 'refunded',
      },
    ]);
    expect(await harness.eventsWritten(charge.orderId)).toEqual([
      ORPHAN_CHARGE_EVENT_TYPES.detected,
      ORPHAN_CHARGE_EVENT_TYPES.refunded,
    ]);
    const [atPsp] = await harness.simulator.charges(charge.orderId);
    expect(atPsp).toMatchObject({ id: charge.chargeId, refundedAmountMinor: '30000' });
  });

  it('never refunds the charge of an order it holds as succeeded', async () => {
    const approved = executionRequestPayload('tok_approve');
    await harness.requestExecution([approved]);
    const succeeded = await harness.paymentOrderIn(approved.paymentOrderId, 'succeeded');
    const never = await chargeKeelNeverSaw(2_000);

    await harness.publish(TOPICS.reconciliation, [
      refundRequest({
        paymentOrderId: approved.paymentOrderId,
        pspReference: succeeded.pspReference as string,
        amountMinor: '15000',
      }),
      refundRequest({ paymentOrderId: never.orderId, pspReference: never.chargeId, amountMinor: '2000' }),
    ]);
    await harness.eventsWrittenThrough(never.orderId, ORPHAN_CHARGE_EVENT_TYPES.refunded);

    // One partition: the succeeded order's request, sent first, was decided before the other was refunded.
    expect(await orphansOf(approved.paymentOrderId)).toEqual([]);
    expect(await harness.eventsWritten(approved.paymentOrderId)).not.toContain(
      ORPHAN_CHARGE_EVENT_TYPES.detected,
    );
    expect(await harness.simulator.charges(approved.paymentOrderId)).toEqual([
      expect.objectContaining({ status: 'approved', refundedAmountMinor: '0' }),
    ]);
  });
});
