// A PSP webhook whose body carries a card number, on real PostgreSQL and Kafka: the signature is
// checked on the bytes as sent, and the body is stored with the card number masked.
import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { freePort } from '@keel/local-system';
import {
  startExecutorHarness,
  executionRequestPayload,
  type ExecutorHarness,
} from '../../test/executor-harness';

jest.setTimeout(60_000);

const ACME_WEBHOOK_SECRET = 'whsec_card_data_spec_0123456789abcdef';
const VISA = '4111111111111111';
const AMEX = '378282246310005';

let harness: ExecutorHarness;

beforeAll(async () => {
  const port = await freePort();
  harness = await startExecutorHarness({
    databaseName: 'executor_webhook_card_data',
    simulatorEnvironment: {
      PSP_SIM_ACME_WEBHOOK_SECRET: ACME_WEBHOOK_SECRET,
      // psp-sim's own notice of the pending charge comes after the test is over.
      PSP_SIM_PENDING_DELAY_MS: '60000',
      PSP_SIM_WEBHOOK_URL_ACME: `http://127.0.0.1:${port}/v1/psp-webhooks/acme`,
    },
    environment: {
      PORT: String(port),
      PSP_ACME_WEBHOOK_SECRET: ACME_WEBHOOK_SECRET,
      // Inquiries wait long, so what settles the pending charge here is the test's webhook.
      EXECUTOR_INQUIRY_INITIAL_DELAY_MS: '40000',
      EXECUTOR_INQUIRY_MAX_DELAY_MS: '60000',
    },
    routes: [{ methodType: 'card', provider: '*', pspId: 'acme', weight: 100, enabled: true }],
  });
});

afterAll(async () => {
  await harness?.stop();
});

function signedHeader(body: string): string {
  const timestampSeconds = Math.floor(Date.now() / 1_000);
  const signature = createHmac('sha256', ACME_WEBHOOK_SECRET)
    .update(`${timestampSeconds}.${body}`)
    .digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}

async function storedPayload(eventId: string): Promise<string | undefined> {
  const rows = (await harness.app
    .get(DataSource)
    .query('SELECT payload FROM psp_webhook_events WHERE psp_id = $1 AND event_id = $2', [
      'acme',
      eventId,
    ])) as { payload: string }[];
  return rows[0]?.payload;
}

describe('a PSP webhook carrying a card number', () => {
  it('is verified on the bytes sent, applied, and stored with the card number masked', async () => {
    const request = executionRequestPayload('tok_pending');
    await harness.requestExecution([request]);
    await harness.paymentOrderIn(request.paymentOrderId, 'unknown');
    const [charge] = await harness.simulator.charges(request.paymentOrderId);
    const eventId = `evt_${randomUUID()}`;
    const body = JSON.stringify({
      id: eventId,
      type: 'charge.succeeded',
      data: {
        id: charge?.id,
        status: 'succeeded',
        amount: 15000,
        currency: 'KRW',
        reference: request.paymentOrderId,
        description: 'card 4111-1111-1111-1111 approved',
        payment_method_details: { card: { number: VISA, fallback: `amex ${AMEX}`, last4: '1111' } },
      },
    });

    const answer = await fetch(`${harness.baseUrl}/v1/psp-webhooks/acme`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Acme-Signature': signedHeader(body) },
      body,
    });

    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ effect: 'apply' });
    expect((await harness.paymentOrder(request.paymentOrderId)).status).toBe('succeeded');
    const stored = await storedPayload(eventId);
    expect(stored).toBe(
      body
        .replace('4111-1111-1111-1111', '411111******1111')
        .replace(VISA, '411111******1111')
        .replace(AMEX, '378282*****0005'),
    );
    expect(stored).not.toContain(VISA);
    expect(stored).not.toContain(AMEX);
    // What was masked is only the card numbers: the stored body still reads as the PSP's JSON.
    expect(JSON.parse(stored ?? '')).toMatchObject({
      id: eventId,
      data: { reference: request.paymentOrderId },
    });
  });
});
