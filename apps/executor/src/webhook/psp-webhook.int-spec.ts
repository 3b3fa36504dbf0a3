import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  ORPHAN_CHARGE_EVENT_TYPES,
  PAYMENT_ORDER_EVENT_TYPES,
  type PaymentOrderExecutionRequestedPayload,
} from '@keel/contracts';
import { waitFor } from '@keel/testing';
import {
  executionRequestPayload,
  startExecutorHarness,
  type ExecutorHarness,
} from '../../test/executor-harness';
import { freePort } from '@keel/local-system';
import { percentile } from '@keel/traffic';

jest.setTimeout(60_000);

const ACME_WEBHOOK_SECRET = 'whsec_acme_test';
const ORPHAN_ISSUER = 'orphanbank';

let harness: ExecutorHarness;

beforeAll(async () => {
  const port = await freePort();
  const executorUrl = `http://127.0.0.1:${port}`;
  harness = await startExecutorHarness({
    databaseName: 'executor_webhook',
    simulatorEnvironment: {
      PSP_SIM_PENDING_DELAY_MS: '3000',
      PSP_SIM_WEBHOOK_URL_ACME: `${executorUrl}/v1/psp-webhooks/acme`,
      PSP_SIM_WEBHOOK_URL_NOVA: `${executorUrl}/v1/psp-webhooks/nova`,
      PSP_SIM_WEBHOOK_URL_SWIFTPAY: `${executorUrl}/v1/psp-webhooks/swiftpay`,
    },
    environment: {
      PORT: String(port),
      // Two attempts, then failed: how an outage makes Keel give an order up.
      EXECUTOR_CHARGE_ATTEMPTS_MAX: '2',
      EXECUTOR_RETRY_INITIAL_DELAY_MS: '50',
      EXECUTOR_RETRY_MAX_DELAY_MS: '100',
      // Inquiries wait long, so what completes a pending charge here is the webhook.
      EXECUTOR_INQUIRY_INITIAL_DELAY_MS: '40000',
      EXECUTOR_INQUIRY_MAX_DELAY_MS: '60000',
      EXECUTOR_BREAKER_VOLUME_THRESHOLD: '100000',
    },
    routes: [
      { methodType: 'card', provider: '*', pspId: 'acme', weight: 100, enabled: true },
      { methodType: 'bank_transfer', provider: '*', pspId: 'nova', weight: 100, enabled: true },
    ],
  });
});

afterAll(async () => {
  await harness?.stop();
});

function cardOrder(instrumentToken: string, issuer = 'shinhan'): PaymentOrderExecutionRequestedPayload {
  return { ...bankTransferOrder(instrumentToken), paymentMethod: { type: 'card', provider: issuer } };
}

function bankTransferOrder(instrumentToken: string): PaymentOrderExecutionRequestedPayload {
  return executionRequestPayload(instrumentToken, { type: 'bank_transfer', provider: 'kb' });
}

function eventTypesOf(paymentOrderId: string): string[] {
  return harness
    .eventsAbout(paymentOrderId)
    .map((event) => event.type)
    .filter((type) => type !== PAYMENT_ORDER_EVENT_TYPES.executionRequested);
}

function signedHeader(body: string, secret: string, timestampSeconds: number): string {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}

function acmeWebhookBody(eventId: string, type: string, charge: Record<string, unknown>): string {
  return JSON.stringify({ id: eventId, type, data: charge });
}

async function postAcmeWebhook(body: string, signature?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['Acme-Signature'] = signature;
  return fetch(`${harness.baseUrl}/v1/psp-webhooks/acme`, { method: 'POST', headers, body });
}

async function orphanRows(paymentOrderId: string): Promise<Record<string, unknown>[]> {
  return (await harness.app
    .get(DataSource)
    .query('SELECT * FROM orphan_charges WHERE payment_order_id = $1', [paymentOrderId])) as Record<
    string,
    unknown
  >[];
}

const nowSeconds = (): number => Math.floor(Date.now() / 1_000);

describe('PSP webhooks', () => {
  it('completes a pending charge by the signed webhook psp-sim sends', async () => {
    const request = cardOrder('tok_pending');
    await harness.requestExecution([request]);
    await harness.paymentOrderIn(request.paymentOrderId, 'unknown');

    const order = await harness.paymentOrderIn(request.paymentOrderId, 'succeeded');
    const [charge] = await harness.simulator.charges(request.paymentOrderId);
    expect(order).toMatchObject({ pspId: 'acme', pspReference: charge?.id, inquiryCount: 0 });
    await waitFor(() => eventTypesOf(request.paymentOrderId).includes(PAYMENT_ORDER_EVENT_TYPES.succeeded), {
      description: 'succeeded event',
    });
  });

  it("reads nova's form-encoded webhook byte for byte", async () => {
    const request = bankTransferOrder('tok_pending');
    await harness.requestExecution([request]);
    await harness.paymentOrderIn(request.paymentOrderId, 'unknown');

    const order = await harness.paymentOrderIn(request.paymentOrderId, 'succeeded');
    expect(order).toMatchObject({ pspId: 'nova', inquiryCount: 0 });
  });

  it('rejects unsigned, forged and stale webhooks with 401 and changes nothing', async () => {
    const request = cardOrder('tok_decline_insufficient_funds');
    await harness.requestExecution([request]);
    await harness.paymentOrderIn(request.paymentOrderId, 'declined');
    const charge = { id: 'ch_forged', status: 'succeeded', amount: 15000, currency: 'KRW' };
    const body = acmeWebhookBody(`evt_${randomUUID()}`, 'charge.succeeded', {
      ...charge,
      reference: request.paymentOrderId,
    });

    const answers = [
      await postAcmeWebhook(body),
      await postAcmeWebhook(body, signedHeader(body, 'whsec_forged', nowSeconds())),
      await postAcmeWebhook(body, signedHeader(body, ACME_WEBHOOK_SECRET, nowSeconds() - 3_600)),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(await answer.json()).toMatchObject({ status: 401 });
    }
    expect(await orphanRows(request.paymentOrderId)).toEqual([]);
    expect((await harness.paymentOrder(request.paymentOrderId)).status).toBe('declined');
    const storedCount = async () => {
      const [row] = (await harness.app
        .get(DataSource)
        .query(
          'SELECT count(*)::int AS n FROM psp_webhook_events WHERE payment_order_id = $1 AND psp_id = $2',
          [request.paymentOrderId, 'acme'],
        )) as { n: number }[];
      return row?.n ?? 0;
    };
    // psp-sim's own signed decline notice may land after the charge answer settled the order.
    await waitFor(async () => (await storedCount()) > 0, {
      description: "psp-sim's decline notice recorded",
    });
    // Only that notice was recorded.
    expect(await storedCount()).toBe(1);
  });

  it('applies a replayed webhook once', async () => {
    const request = cardOrder('tok_pending');
    await harness.requestExecution([request]);
    await harness.paymentOrderIn(request.paymentOrderId, 'unknown');
    const [charge] = await harness.simulator.charges(request.paymentOrderId);
    const body = acmeWebhookBody(`evt_${randomUUID()}`, 'charge.succeeded', {
      id: charge?.id,
      status: 'succeeded',
      amount: 15000,
      currency: 'KRW',
      reference: request.paymentOrderId,
      created: nowSeconds(),
    });
    const signature = signedHeader(body, ACME_WEBHOOK_SECRET, nowSeconds());

    const first = await postAcmeWebhook(body, signature);
    const second = await postAcmeWebhook(body, signature);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([await first.json(), await second.json()]).toEqual([{ effect: 'apply' }, { effect: 'duplicate' }]);
    expect((await harness.paymentOrder(request.paymentOrderId)).status).toBe('succeeded');
    await waitFor(() => eventTypesOf(request.paymentOrderId).includes(PAYMENT_ORDER_EVENT_TYPES.succeeded), {
      description: 'succeeded event',
    });
    // psp-sim's own notice comes too (another event id): recorded, no second outcome.
    await waitFor(
      async () => {
        const rows = (await harness.app
          .get(DataSource)
          .query('SELECT count(*)::int AS n FROM psp_webhook_events WHERE payment_order_id = $1', [
            request.paymentOrderId,
          ])) as { n: number }[];
        return rows[0]?.n === 2;
      },
      { timeoutMs: 15_000, description: "psp-sim's webhook" },
    );
    expect(eventTypesOf(request.paymentOrderId)).toEqual([
      PAYMENT_ORDER_EVENT_TYPES.succeeded,
      PAYMENT_ORDER_EVENT_TYPES.succeededV2,
    ]);
    expect(await orphanRows(request.paymentOrderId)).toEqual([]);
  });
});

interface RefundedOrphan {
  readonly requestDelayMs: number;
  readonly refundedDelayMs: number;
}

/** Keel fails an order through a 503 outage, then the PSP charges it anyway; the refund is awaited. */
async function orphanRefundedAutomatically(): Promise<RefundedOrphan> {
  const request = cardOrder('tok_approve', ORPHAN_ISSUER);
  await harness.requestExecution([request]);
  await harness.paymentOrderIn(request.paymentOrderId, 'failed');

  // As a PSP whose 503 came after processing would: its webhook tells the executor about money
  // for an order that has failed.
  const charged = await fetch(`${harness.simulator.url('acme')}/acme/v1/charges`, {
    method: 'POST',
    headers: {
      authorization: 'Bearer acme_test_key',
      'content-type': 'application/json',
      'idempotency-key': request.paymentOrderId,
    },
    body: JSON.stringify({
      amount: 15000,
      currency: 'KRW',
      source: 'tok_approve',
      issuer: 'shinhan',
      reference: request.paymentOrderId,
    }),
  });
  expect(charged.status).toBe(200);
  const chargeId = ((await charged.json()) as { id: string }).id;

  const refunded = await waitFor(
    async () => {
      const [charge] = await harness.simulator.charges(request.paymentOrderId);
      return charge?.status === 'cancelled' ? charge : undefined;
    },
    { timeoutMs: 20_000, description: 'the orphan refunded at psp-sim' },
  );
  expect(refunded).toMatchObject({ id: chargeId, amountMinor: '15000', refundedAmountMinor: '15000' });
  const [orphan] = await waitFor(
    async () => {
      const rows = await orphanRows(request.paymentOrderId);
      return rows[0]?.['refund_status'] === 'refunded' ? rows : undefined;
    },
    { description: 'orphan row refunded' },
  );
  expect(orphan).toMatchObject({
    psp_id: 'acme',
    psp_reference: chargeId,
    amount_minor: '15000',
    attempts: 1,
  });

  await waitFor(() => eventTypesOf(request.paymentOrderId).includes(ORPHAN_CHARGE_EVENT_TYPES.refunded), {
    description: 'orphan_charge_refunded event',
  });
  // Failed, then detected and refunded: never a succeeded event, so no wallet credit.
  expect(eventTypesOf(request.paymentOrderId)).toEqual([
    PAYMENT_ORDER_EVENT_TYPES.failed,
    ORPHAN_CHARGE_EVENT_TYPES.detected,
    ORPHAN_CHARGE_EVENT_TYPES.refunded,
  ]);
  expect((await harness.paymentOrder(request.paymentOrderId)).status).toBe('failed');
  const detectedMs = (orphan?.['detected_at'] as Date).getTime();
  return {
    requestDelayMs: (orphan?.['refund_requested_at'] as Date).getTime() - detectedMs,
    refundedDelayMs: (orphan?.['refunded_at'] as Date).getTime() - detectedMs,
  };
}

describe('orphan charges', () => {
  it('refunds at the PSP, automatically and within 10 s, charges made for orders Keel failed', async () => {
    // The outage hits only this issuer's charges, so the PSP can still charge the orders "later".
    const faultId = await harness.simulator.addFault({ psp: 'acme', issuer: ORPHAN_ISSUER, outage: '503' });
    try {
      const orphans = await Promise.all(Array.from({ length: 8 }, () => orphanRefundedAutomatically()));
      const requestDelays = orphans.map((orphan) => orphan.requestDelayMs);
      const refundedDelays = orphans.map((orphan) => orphan.refundedDelayMs);
      process.stdout.write(
        `orphan refund delay over ${orphans.length} orphans: detected → refund requested ` +
          `median ${percentile(requestDelays, 50)} ms, max ${Math.max(...requestDelays)} ms; ` +
          `detected → refunded median ${percentile(refundedDelays, 50)} ms, max ${Math.max(...refundedDelays)} ms\n`,
      );
      expect(Math.max(...requestDelays)).toBeLessThan(10_000);
    } finally {
      await harness.simulator.removeFault(faultId);
    }
  });
});
