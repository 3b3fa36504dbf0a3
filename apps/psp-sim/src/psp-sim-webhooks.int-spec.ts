import { waitFor } from '@keel/testing';
import {
  ACME_HEADERS,
  adminCharges,
  hasValidSignature,
  newKey,
  novaForm,
  postForm,
  postJson,
  startSimulator,
  SWIFTPAY_HEADERS,
  WebhookReceiver,
  type ReceivedWebhook,
} from '../test/psp-sim-harness';
import type { RunningPspSim } from './run-psp-sim';

jest.setTimeout(60_000);

const PENDING_DELAY_MS = 300;

/** Pending charges resolve later and every outcome reaches the merchant as a signed webhook. */
describe('psp-sim webhooks', () => {
  let receiver: WebhookReceiver;
  let sim: RunningPspSim;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    sim = await startSimulator({
      PSP_SIM_PENDING_DELAY_MS: String(PENDING_DELAY_MS),
      PSP_SIM_WEBHOOK_BACKOFF_MS: '50',
      PSP_SIM_WEBHOOK_URL_ACME: receiver.url('/hooks/acme'),
      PSP_SIM_WEBHOOK_URL_NOVA: receiver.url('/hooks/nova'),
      PSP_SIM_WEBHOOK_URL_SWIFTPAY: receiver.url('/hooks/swiftpay'),
    });
  });

  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  function webhookAbout(path: string, mentions: string): Promise<ReceivedWebhook> {
    return waitFor(() => receiver.deliveriesTo(path).find((webhook) => webhook.rawBody.includes(mentions)), {
      description: `a webhook to ${path} about ${mentions}`,
    });
  }

  it('acme: a pending charge succeeds after the delay, told by a signed webhook', async () => {
    const key = newKey('acme_pending');
    const startedAtMs = Date.now();
    const response = await postJson(
      `${sim.pspUrl('acme')}/acme/v1/charges`,
      { amount: 2500, currency: 'KRW', source: 'tok_pending', reference: key },
      { ...ACME_HEADERS, 'idempotency-key': key },
    );
    const charge = (await response.json()) as { id: string; status: string };
    expect(charge.status).toBe('pending');

    const webhook = await webhookAbout('/hooks/acme', charge.id);
    expect(Date.now() - startedAtMs).toBeGreaterThanOrEqual(PENDING_DELAY_MS);
    expect(webhook.headers['content-type']).toContain('application/json');
    expect(hasValidSignature(webhook.headers['acme-signature'], webhook.rawBody, 'whsec_acme_test')).toBe(
      true,
    );
    expect(hasValidSignature(webhook.headers['acme-signature'], webhook.rawBody, 'another_secret')).toBe(
      false,
    );
    expect(JSON.parse(webhook.rawBody)).toMatchObject({
      id: expect.stringMatching(/^evt_/) as string,
      type: 'charge.succeeded',
      data: { id: charge.id, status: 'succeeded', amount: 2500, reference: key },
    });

    const found = await fetch(`${sim.pspUrl('acme')}/acme/v1/charges?idempotency_key=${key}`, {
      headers: ACME_HEADERS,
    });
    expect(await found.json()).toMatchObject({ status: 'succeeded' });
    const [truth] = await adminCharges(sim, key);
    expect(truth).toMatchObject({ status: 'approved', feeMinor: '63' });
    expect(Date.parse(truth?.settledAt ?? '') - Date.parse(truth?.createdAt ?? '')).toBeGreaterThanOrEqual(
      PENDING_DELAY_MS,
    );
  });

  it('acme: webhook faults send the same event more than once, each copy held back up to webhookDelayMs', async () => {
    const fault = await postJson(
      `${sim.url}/admin/faults`,
      { psp: 'acme', webhookDuplicateRate: 1, webhookDelayMs: 400 },
      { 'content-type': 'application/json' },
    );
    expect(fault.status).toBe(201);
    const { id: faultId } = (await fault.json()) as { id: string };
    try {
      const key = newKey('acme_duplicate');
      const startedAtMs = Date.now();
      const response = await postJson(
        `${sim.pspUrl('acme')}/acme/v1/charges`,
        { amount: 1200, currency: 'KRW', source: 'tok_pending', reference: key },
        { ...ACME_HEADERS, 'idempotency-key': key },
      );
      const charge = (await response.json()) as { id: string };
      const copies = await waitFor(
        () => {
          const about = receiver
            .deliveriesTo('/hooks/acme')
            .filter((webhook) => webhook.rawBody.includes(charge.id));
          return about.length >= 2 && about;
        },
        { description: 'two or more copies of the webhook' },
      );
      expect(copies.length).toBeLessThanOrEqual(3);
      expect(new Set(copies.map((webhook) => webhook.rawBody)).size).toBe(1);
      for (const webhook of copies) {
        expect(hasValidSignature(webhook.headers['acme-signature'], webhook.rawBody, 'whsec_acme_test')).toBe(
          true,
        );
      }
      expect(Date.now() - startedAtMs).toBeGreaterThanOrEqual(PENDING_DELAY_MS);
    } finally {
      await fetch(`${sim.url}/admin/faults/${faultId}`, { method: 'DELETE' });
    }
  });

  it('nova: a pending bank transfer declines, told by a signed form webhook', async () => {
    const orderNo = newKey('nova_pending');
    const form = novaForm(
      { order_no: orderNo, amt: '7000', cur: 'KRW', pay_type: 'bank', bank_code: 'tok_pending_decline' },
      { orderNo, amt: '7000' },
    );
    expect(await (await postForm(`${sim.pspUrl('nova')}/nova/api/payment`, form)).json()).toMatchObject({
      result_code: 'P000',
    });

    const webhook = await webhookAbout('/hooks/nova', orderNo);
    expect(webhook.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(hasValidSignature(webhook.headers['x-nova-signature'], webhook.rawBody, 'nova_whsec_test')).toBe(
      true,
    );
    const fields = Object.fromEntries(new URLSearchParams(webhook.rawBody));
    expect(fields).toMatchObject({
      event: 'declined',
      result_code: 'D051',
      order_no: orderNo,
      amt: '7000',
      cur: 'KRW',
    });
    expect(Number(fields['notified_at'])).toBeGreaterThan(0);
  });

  it('swiftpay: an approval is told by webhook, retried until the merchant accepts it', async () => {
    receiver.failFirst = 2;
    const orderId = newKey('swift_hook');
    const ready = await postJson(
      `${sim.pspUrl('swiftpay')}/swiftpay/v2/ready`,
      {
        partner_order_id: orderId,
        amount: 900,
        currency: 'KRW',
        account_token: 'tok_approve',
        provider: 'kakaopay',
      },
      SWIFTPAY_HEADERS,
    );
    const { tid } = (await ready.json()) as { tid: string };
    await postJson(`${sim.pspUrl('swiftpay')}/swiftpay/v2/approve`, { tid }, SWIFTPAY_HEADERS);

    const deliveries = await waitFor(
      () => {
        const about = receiver
          .deliveriesTo('/hooks/swiftpay')
          .filter((webhook) => webhook.rawBody.includes(orderId));
        return about.length >= 3 && about;
      },
      { description: 'two refused deliveries and an accepted one' },
    );
    for (const webhook of deliveries) {
      expect(
        hasValidSignature(webhook.headers['x-swift-signature'], webhook.rawBody, 'swift_whsec_test'),
      ).toBe(true);
    }
    expect(new Set(deliveries.map((webhook) => webhook.rawBody)).size).toBe(1);
    expect(JSON.parse(deliveries[0]?.rawBody ?? '')).toMatchObject({
      event_id: expect.stringMatching(/^SE/) as string,
      event: 'payment.approved',
      order: { tid, partner_order_id: orderId, status: 'APPROVED', amount: 900 },
    });
  });
});
