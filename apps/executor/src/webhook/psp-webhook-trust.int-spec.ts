import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ORPHAN_CHARGE_EVENT_TYPES, PAYMENT_ORDER_EVENT_TYPES } from '@keel/contracts';
import { operatorAuthorization, waitFor } from '@keel/testing';
import {
  executionRequestPayload,
  startExecutorHarness,
  type ExecutorHarness,
} from '../../test/executor-harness';

jest.setTimeout(60_000);

/** This spec's own secret, so that only a sender who holds it can move an order. */
const WEBHOOK_SECRET = 'whsec_webhook_trust_spec_9f2c41d07a6b4e38';
const ORDER_AMOUNT = { amount: 15000, currency: 'KRW' } as const;

let harness: ExecutorHarness;
let dataSource: DataSource;

beforeAll(async () => {
  harness = await startExecutorHarness({
    databaseName: 'executor_webhook_trust',
    // No webhook URLs: psp-sim sends none, and its pending charges stay pending for the whole run,
    // so every webhook here is one the test sends, to an order still waiting for its outcome.
    simulatorEnvironment: { PSP_SIM_PENDING_DELAY_MS: '60000' },
    environment: {
      PSP_ACME_WEBHOOK_SECRET: WEBHOOK_SECRET,
      EXECUTOR_INQUIRY_INITIAL_DELAY_MS: '40000',
      EXECUTOR_INQUIRY_MAX_DELAY_MS: '60000',
    },
    routes: [{ methodType: 'card', provider: '*', pspId: 'acme', weight: 100, enabled: true }],
  });
  dataSource = harness.app.get(DataSource);
});

afterAll(async () => {
  await harness?.stop();
});

const nowSeconds = (): number => Math.floor(Date.now() / 1_000);

function signatureOf(body: string, secret = WEBHOOK_SECRET, timestampSeconds = nowSeconds()): string {
  const digest = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${digest}`;
}

/** acme's `charge.succeeded` for the order's charge, saying it captured `captured`. */
function chargeSucceeded(
  paymentOrderId: string,
  chargeId: string,
  captured: { amount: number; currency: string } = ORDER_AMOUNT,
): string {
  return JSON.stringify({
    id: `evt_${randomUUID()}`,
    type: 'charge.succeeded',
    data: {
      id: chargeId,
      status: 'succeeded',
      ...captured,
      reference: paymentOrderId,
      created: nowSeconds(),
    },
  });
}

function post(body: string, signature?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['Acme-Signature'] = signature;
  return fetch(`${harness.baseUrl}/v1/psp-webhooks/acme`, { method: 'POST', headers, body });
}

/** An order for 15 000 KRW whose charge psp-sim holds pending: `unknown`, waiting for its outcome. */
async function orderAwaitingOutcome(): Promise<{ paymentOrderId: string; chargeId: string }> {
  const request = executionRequestPayload('tok_pending');
  await harness.requestExecution([request]);
  await harness.paymentOrderIn(request.paymentOrderId, 'unknown');
  const [charge] = await harness.simulator.charges(request.paymentOrderId);
  if (charge === undefined) throw new Error(`psp-sim holds no charge for ${request.paymentOrderId}`);
  return { paymentOrderId: request.paymentOrderId, chargeId: charge.id };
}

async function storedDeliveries(paymentOrderId: string): Promise<number> {
  const [row] = (await dataSource.query(
    'SELECT count(*)::int AS n FROM psp_webhook_events WHERE payment_order_id = $1',
    [paymentOrderId],
  )) as { n: number }[];
  return row?.n ?? 0;
}

async function orphanRows(paymentOrderId: string): Promise<Record<string, unknown>[]> {
  return (await dataSource.query('SELECT * FROM orphan_charges WHERE payment_order_id = $1', [
    paymentOrderId,
  ])) as Record<string, unknown>[];
}

async function effectOf(answer: Response): Promise<string> {
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { effect: string }).effect;
}

const SUCCEEDED_EVENTS = [PAYMENT_ORDER_EVENT_TYPES.succeeded, PAYMENT_ORDER_EVENT_TYPES.succeededV2];

describe('PSP webhooks that do not come from the PSP', () => {
  it('refuses a tampered body, a wrong secret, a stale or future timestamp and a missing or malformed header, with no effect', async () => {
    const { paymentOrderId, chargeId } = await orderAwaitingOutcome();
    const body = chargeSucceeded(paymentOrderId, chargeId);
    const tampered = body.replace('"amount":15000', '"amount":1');
    expect(tampered).not.toBe(body);

    const attacks: [string, string, string | undefined][] = [
      ['tampered body', tampered, signatureOf(body)],
      ['wrong secret', body, signatureOf(body, 'whsec_guessed_by_someone_else_0123456789')],
      ['stale timestamp', body, signatureOf(body, WEBHOOK_SECRET, nowSeconds() - 3_600)],
      ['future timestamp', body, signatureOf(body, WEBHOOK_SECRET, nowSeconds() + 3_600)],
      ['missing header', body, undefined],
      ['malformed header', body, 'v1=not-a-signature'],
    ];
    for (const [attack, sentBody, signature] of attacks) {
      const answer = await post(sentBody, signature);
      expect({ attack, status: answer.status }).toEqual({ attack, status: 401 });
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(await answer.json()).toMatchObject({
        type: 'https://keel.dev/problems/webhook_signature_invalid',
        status: 401,
      });
    }

    expect((await harness.paymentOrder(paymentOrderId)).status).toBe('unknown');
    expect(await harness.eventsWritten(paymentOrderId)).toEqual([]);
    expect(await storedDeliveries(paymentOrderId)).toBe(0);
    expect(await orphanRows(paymentOrderId)).toEqual([]);
    // The very body, signed as the PSP signs it, is taken: only the attacks were refused.
    expect(await effectOf(await post(body, signatureOf(body)))).toBe('apply');
    expect((await harness.paymentOrder(paymentOrderId)).status).toBe('succeeded');
    expect(await harness.eventsWrittenThrough(paymentOrderId, PAYMENT_ORDER_EVENT_TYPES.succeededV2)).toEqual(
      SUCCEEDED_EVENTS,
    );
  });

  it('applies a replayed webhook once', async () => {
    const { paymentOrderId, chargeId } = await orderAwaitingOutcome();
    const body = chargeSucceeded(paymentOrderId, chargeId);
    const signature = signatureOf(body);

    const first = await effectOf(await post(body, signature));
    const replays = await Promise.all([1, 2, 3].map(async () => effectOf(await post(body, signature))));

    expect([first, ...replays]).toEqual(['apply', 'duplicate', 'duplicate', 'duplicate']);
    expect((await harness.paymentOrder(paymentOrderId)).status).toBe('succeeded');
    expect(await harness.eventsWrittenThrough(paymentOrderId, PAYMENT_ORDER_EVENT_TYPES.succeededV2)).toEqual(
      SUCCEEDED_EVENTS,
    );
    expect(await storedDeliveries(paymentOrderId)).toBe(1);
  });

  it('records a success for an order the executor does not hold, and changes nothing', async () => {
    const paymentOrderId = `po_${randomUUID()}`;
    const body = chargeSucceeded(paymentOrderId, `ch_${randomUUID()}`);

    expect(await effectOf(await post(body, signatureOf(body)))).toBe('unknown_order');

    const lookup = await fetch(`${harness.baseUrl}/v1/payment-orders/${paymentOrderId}`, {
      headers: { authorization: operatorAuthorization('viewer') },
    });
    expect(lookup.status).toBe(404);
    expect(await harness.eventsWritten(paymentOrderId)).toEqual([]);
    expect(await orphanRows(paymentOrderId)).toEqual([]);
    expect(await storedDeliveries(paymentOrderId)).toBe(1);
  });
});

describe('a PSP success for another amount than the order', () => {
  it.each([
    ['less', { amount: 14000, currency: 'KRW' }],
    ['more', { amount: 150000, currency: 'KRW' }],
    ['another currency', { amount: 15000, currency: 'USD' }],
  ])(
    'captured (%s) fails the order, credits nothing and records the charge to refund',
    async (_, captured) => {
      const { paymentOrderId, chargeId } = await orderAwaitingOutcome();
      const body = chargeSucceeded(paymentOrderId, chargeId, captured);

      expect(await effectOf(await post(body, signatureOf(body)))).toBe('amount_mismatch');

      expect(await harness.paymentOrder(paymentOrderId)).toMatchObject({
        status: 'failed',
        pspId: 'acme',
        pspReference: chargeId,
        result: { code: 'amount_mismatch' },
      });
      // A failure and the charge to give back: no succeeded event, so no wallet credit and no sale posted.
      const failedAndRefused = [PAYMENT_ORDER_EVENT_TYPES.failed, ORPHAN_CHARGE_EVENT_TYPES.detected];
      expect(await harness.eventsWrittenThrough(paymentOrderId, ORPHAN_CHARGE_EVENT_TYPES.detected)).toEqual(
        failedAndRefused,
      );
      // Written is not yet published: the relay may still hold it, so wait for the topic to show it.
      const failed = await waitFor(
        () =>
          harness
            .eventsAbout(paymentOrderId)
            .find((event) => event.type === PAYMENT_ORDER_EVENT_TYPES.failed),
        { description: `the failed event of ${paymentOrderId} published` },
      );
      expect(failed.data).toMatchObject({ failure: { code: 'amount_mismatch' } });
      expect(await orphanRows(paymentOrderId)).toEqual([
        expect.objectContaining({
          psp_id: 'acme',
          psp_reference: chargeId,
          amount_minor: String(captured.amount),
          currency: captured.currency,
          reason: 'amount_mismatch',
        }),
      ]);

      // The PSP's notice of the order's own amount, coming after, cannot make it succeed either.
      const correct = chargeSucceeded(paymentOrderId, chargeId);
      expect(await effectOf(await post(correct, signatureOf(correct)))).toBe('orphan');
      expect((await harness.paymentOrder(paymentOrderId)).status).toBe('failed');
      expect(await harness.eventsWritten(paymentOrderId)).toEqual(failedAndRefused);
      expect(await orphanRows(paymentOrderId)).toHaveLength(1);
    },
  );
});
