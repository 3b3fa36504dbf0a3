import { DataSource } from 'typeorm';
import { PSP_EVENT_TYPES, TOPICS, type PaymentMethodPayload } from '@keel/contracts';
import { waitFor, type TopicReader } from '@keel/testing';
import {
  executionRequestPayload,
  publishedEvents,
  startExecutorHarness,
  type ExecutorHarness,
} from '../../test/executor-harness';

jest.setTimeout(90_000);

/** hana's cards go to acme but for one in ten thousand, so that a refusal at acme fails over to nova. */
const FAILOVER_ISSUER = 'hana';

let harness: ExecutorHarness;
let pspReader: TopicReader;

beforeAll(async () => {
  harness = await startExecutorHarness({
    databaseName: 'executor_psp_attempt_events',
    routes: [
      { methodType: 'card', provider: '*', pspId: 'acme', weight: 70, enabled: true },
      { methodType: 'card', provider: '*', pspId: 'nova', weight: 30, enabled: true },
      { methodType: 'card', provider: FAILOVER_ISSUER, pspId: 'acme', weight: 10_000, enabled: true },
      { methodType: 'card', provider: FAILOVER_ISSUER, pspId: 'nova', weight: 1, enabled: true },
    ],
  });
  pspReader = await harness.startReader(TOPICS.psp);
});

afterAll(async () => {
  await harness?.stop();
});

function card(provider: string): PaymentMethodPayload {
  return { type: 'card', provider };
}

function attemptEventsOf(paymentOrderId: string): Record<string, unknown>[] {
  return publishedEvents(pspReader.records)
    .filter((event) => event.type === PSP_EVENT_TYPES.attemptRecorded)
    .map((event) => event.data)
    .filter((data) => data['orderId'] === paymentOrderId);
}

async function attemptEventsWhen(paymentOrderId: string, count: number): Promise<Record<string, unknown>[]> {
  return waitFor(
    () => {
      const events = attemptEventsOf(paymentOrderId);
      return events.length >= count ? events : undefined;
    },
    { timeoutMs: 30_000, description: `${count} attempt events about ${paymentOrderId}` },
  );
}

/** Attempt events about the order still in the outbox: the relay deletes a row once published. */
async function attemptRowsWaiting(paymentOrderId: string): Promise<number> {
  const [row] = (await harness.app
    .get(DataSource)
    .query("SELECT count(*)::int AS count FROM outbox WHERE type = $1 AND payload->>'orderId' = $2", [
      PSP_EVENT_TYPES.attemptRecorded,
      paymentOrderId,
    ])) as { count: number }[];
  return row?.count ?? 0;
}

/** Fields every attempt event has, checked against the order's own record of the attempt. */
function expectTimed(event: Record<string, unknown>, startedAtMs: number): void {
  expect(Number.isInteger(event['latencyMs'])).toBe(true);
  expect(event['latencyMs']).toBeGreaterThanOrEqual(0);
  const attemptedAtMs = Date.parse(String(event['attemptedAt']));
  expect(attemptedAtMs).toBeGreaterThanOrEqual(startedAtMs);
  expect(attemptedAtMs).toBeLessThanOrEqual(Date.now());
}

describe('PSP attempt events on real PostgreSQL, Kafka and psp-sim', () => {
  it('reports an approved and a declined charge, each once, with the order’s PSP, method and issuer', async () => {
    const startedAtMs = Date.now();
    const approved = executionRequestPayload('tok_approve', card('shinhan'));
    const declined = executionRequestPayload('tok_decline_insufficient_funds', card('shinhan'));
    await harness.requestExecution([approved, declined]);
    const approvedOrder = await harness.paymentOrderIn(approved.paymentOrderId, 'succeeded');
    const declinedOrder = await harness.paymentOrderIn(declined.paymentOrderId, 'declined');

    const [approvedEvent] = await attemptEventsWhen(approved.paymentOrderId, 1);
    expect(approvedEvent).toEqual({
      orderId: approved.paymentOrderId,
      pspId: approvedOrder.pspId,
      methodType: 'card',
      provider: 'shinhan',
      outcome: 'approved',
      latencyMs: expect.any(Number),
      retry: false,
      failover: false,
      attemptedAt: expect.any(String),
    });
    expectTimed(approvedEvent ?? {}, startedAtMs);
    const [declinedEvent] = await attemptEventsWhen(declined.paymentOrderId, 1);
    expect(declinedEvent).toMatchObject({
      pspId: declinedOrder.pspId,
      provider: 'shinhan',
      outcome: 'declined',
      errorCode: 'insufficient_funds',
      errorMessage: 'Insufficient funds',
      retry: false,
      failover: false,
    });
    expect(attemptEventsOf(approved.paymentOrderId)).toHaveLength(1);
    expect(attemptEventsOf(declined.paymentOrderId)).toHaveLength(1);
  });

  it('reports an issuer down at every PSP as declines with the issuer’s message', async () => {
    const fault = await harness.simulator.addFault({
      issuer: 'woori',
      declineRate: 1,
      declineMessage: 'Issuer unavailable',
    });
    try {
      const orders = Array.from({ length: 4 }, () => executionRequestPayload('tok_approve', card('woori')));
      await harness.requestExecution(orders);
      for (const order of orders) {
        await harness.paymentOrderIn(order.paymentOrderId, 'declined');
        expect(await attemptEventsWhen(order.paymentOrderId, 1)).toEqual([
          expect.objectContaining({
            provider: 'woori',
            outcome: 'declined',
            errorCode: 'do_not_honor',
            errorMessage: 'Issuer unavailable',
          }),
        ]);
      }
    } finally {
      await harness.simulator.removeFault(fault);
    }
  });

  it('reports a refused charge as failed and its failover to another PSP as a retry and a failover', async () => {
    const fault = await harness.simulator.addFault({ psp: 'acme', issuer: FAILOVER_ISSUER, errorRate: 1 });
    try {
      const orders = Array.from({ length: 4 }, () =>
        executionRequestPayload('tok_approve', card(FAILOVER_ISSUER)),
      );
      await harness.requestExecution(orders);
      const failedOver = [];
      for (const order of orders) {
        const view = await harness.paymentOrderIn(order.paymentOrderId, 'succeeded');
        expect(view.pspId).toBe('nova');
        // One in ten thousand draws nova at once: then its one attempt is all there is.
        if (view.attemptCount === 1) continue;
        failedOver.push(order.paymentOrderId);
        const events = await attemptEventsWhen(order.paymentOrderId, 2);
        expect(events).toEqual([
          expect.objectContaining({
            pspId: 'acme',
            outcome: 'failed',
            errorCode: 'psp_unavailable',
            errorMessage: expect.stringContaining('acme'),
            retry: false,
            failover: false,
          }),
          expect.objectContaining({ pspId: 'nova', outcome: 'approved', retry: true, failover: true }),
        ]);
        expect(events[1]).not.toHaveProperty('errorCode');
        expect(events[1]).not.toHaveProperty('errorMessage');
      }
      expect(failedOver.length).toBeGreaterThan(0);
    } finally {
      await harness.simulator.removeFault(fault);
    }
  });

  it('reports a charge whose answer was lost as unknown once; the inquiries that resolve it add none', async () => {
    // psp-sim charges, then never answers, charge and inquiries alike, at whichever PSP.
    const fault = await harness.simulator.addFault({ issuer: 'kookmin', chargeThenTimeoutRate: 1 });
    const order = executionRequestPayload('tok_approve', card('kookmin'));
    try {
      await harness.requestExecution([order]);
      await harness.paymentOrderIn(order.paymentOrderId, 'unknown');
      expect(await attemptEventsWhen(order.paymentOrderId, 1)).toEqual([
        expect.objectContaining({
          provider: 'kookmin',
          outcome: 'unknown',
          errorCode: 'psp_unknown_outcome',
          retry: false,
          failover: false,
        }),
      ]);
      const [unknown] = attemptEventsOf(order.paymentOrderId);
      // The call waited out the executor's PSP timeout (1 s in the harness) before giving up.
      expect(unknown?.['latencyMs']).toBeGreaterThanOrEqual(900);
    } finally {
      await harness.simulator.removeFault(fault);
    }
    const resolved = await harness.paymentOrderIn(order.paymentOrderId, 'succeeded');
    expect(resolved.inquiryCount).toBeGreaterThan(0);
    expect(resolved.attemptCount).toBe(1);
    // Whatever the inquiries' transactions wrote is in the outbox still or on the topic already.
    expect(await attemptRowsWaiting(order.paymentOrderId)).toBe(0);
    expect(attemptEventsOf(order.paymentOrderId)).toHaveLength(1);
  });
});
