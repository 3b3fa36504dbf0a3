import {
  ACME_HEADERS,
  adminCharges,
  newKey,
  novaForm,
  postForm,
  postJson,
  startSimulator,
  SWIFTPAY_HEADERS,
} from '../test/psp-sim-harness';
import type { RunningPspSim } from './run-psp-sim';

jest.setTimeout(60_000);

/** The three dialects over real HTTP, on each PSP's own port as Keel's executor uses them. */
describe('psp-sim dialects', () => {
  let sim: RunningPspSim;

  beforeAll(async () => {
    sim = await startSimulator();
  });

  afterAll(async () => {
    await sim.close();
  });

  describe('acme', () => {
    const charges = () => `${sim.pspUrl('acme')}/acme/v1/charges`;
    const body = (reference: string) => ({
      amount: 1500,
      currency: 'KRW',
      source: 'tok_approve',
      issuer: 'shinhan',
      reference,
    });
    const withKey = (key: string) => ({ ...ACME_HEADERS, 'idempotency-key': key });

    it('charges once per key: replay, conflict, inquiry, ground truth', async () => {
      const key = newKey('acme');
      const first = await postJson(charges(), body(key), withKey(key));
      expect(first.status).toBe(200);
      const charge = (await first.json()) as Record<string, unknown>;
      expect(charge).toMatchObject({ status: 'succeeded', amount: 1500, currency: 'KRW', reference: key });
      expect(charge['id']).toMatch(/^ch_/);
      expect(typeof charge['created']).toBe('number');

      const replay = await postJson(charges(), body(key), withKey(key));
      expect(await replay.json()).toEqual(charge);
      const conflict = await postJson(charges(), { ...body(key), amount: 1600 }, withKey(key));
      expect(conflict.status).toBe(409);
      expect(await conflict.json()).toMatchObject({ error: { type: 'idempotency_error' } });

      const found = await fetch(`${charges()}?idempotency_key=${key}`, { headers: ACME_HEADERS });
      expect(await found.json()).toEqual(charge);
      const missing = await fetch(`${charges()}?idempotency_key=${newKey('none')}`, {
        headers: ACME_HEADERS,
      });
      expect(missing.status).toBe(404);

      expect(await adminCharges(sim, key)).toEqual([
        expect.objectContaining({
          psp: 'acme',
          id: charge['id'],
          amountMinor: '1500',
          currency: 'KRW',
          status: 'approved',
          method: 'card',
          issuer: 'shinhan',
          refundedAmountMinor: '0',
          feeMinor: '38',
          attempts: 3,
        }),
      ]);
    });

    it('declines with the code and message of the token', async () => {
      const key = newKey('acme_decline');
      const response = await postJson(
        charges(),
        { ...body(key), source: 'tok_decline_insufficient_funds' },
        withKey(key),
      );
      expect(await response.json()).toMatchObject({
        status: 'declined',
        failure_code: 'insufficient_funds',
        failure_message: 'Insufficient funds',
      });
      const refund = await postJson(
        `${charges()}/${(await adminCharges(sim, key))[0]?.id}/refunds`,
        {},
        ACME_HEADERS,
      );
      expect(refund.status).toBe(400);
    });

    it('refunds in parts, then the rest, and reports the charge canceled', async () => {
      const key = newKey('acme_refund');
      const charge = (await (await postJson(charges(), body(key), withKey(key))).json()) as { id: string };
      const partial = await postJson(`${charges()}/${charge.id}/refunds`, { amount: 500 }, ACME_HEADERS);
      expect(partial.status).toBe(200);
      expect(await partial.json()).toMatchObject({ charge: charge.id, amount: 500, status: 'succeeded' });
      const rest = (await (await postJson(`${charges()}/${charge.id}/refunds`, {}, ACME_HEADERS)).json()) as {
        id: string;
        amount: number;
      };
      expect(rest.id).toMatch(/^re_/);
      expect(rest.amount).toBe(1000);
      const found = await fetch(`${charges()}?idempotency_key=${key}`, { headers: ACME_HEADERS });
      expect(await found.json()).toMatchObject({ status: 'canceled' });
      expect(await adminCharges(sim, key)).toEqual([
        expect.objectContaining({ status: 'cancelled', refundedAmountMinor: '1500' }),
      ]);
    });

    it('refuses a bad key, body or credential', async () => {
      expect((await postJson(charges(), body('x'), ACME_HEADERS)).status).toBe(400);
      expect((await postJson(charges(), { ...body('x'), amount: 1.5 }, withKey(newKey('bad')))).status).toBe(
        400,
      );
      expect(
        (await postJson(charges(), { ...body('x'), currency: 'krw' }, withKey(newKey('bad')))).status,
      ).toBe(400);
      const wrongKey = { ...withKey(newKey('auth')), authorization: 'Bearer nope' };
      expect((await postJson(charges(), body('x'), wrongKey)).status).toBe(401);
    });
  });

  describe('nova', () => {
    const api = (operation: string) => `${sim.pspUrl('nova')}/nova/api/${operation}`;
    const payment = (orderNo: string, amt: string, instrument: Record<string, string>) =>
      postForm(
        api('payment'),
        novaForm({ order_no: orderNo, amt, cur: 'KRW', ...instrument }, { orderNo, amt }),
      );
    const inquiry = async (orderNo: string) =>
      (await (
        await postForm(api('inquiry'), novaForm({ order_no: orderNo }, { orderNo, amt: '0' }))
      ).json()) as Record<string, unknown>;
    const card = (token: string) => ({ pay_type: 'card', card_token: token });

    it('approves once per order number: replay, conflict, inquiry, cancel', async () => {
      const orderNo = newKey('nova');
      const first = await payment(orderNo, '15000', card('tok_approve'));
      expect(first.status).toBe(200);
      const transaction = (await first.json()) as { tid: string };
      expect(transaction).toMatchObject({ result_code: '0000', order_no: orderNo, amt: 15000, cur: 'KRW' });
      expect(transaction.tid).toMatch(/^N/);
      expect(await (await payment(orderNo, '15000', card('tok_approve'))).json()).toEqual(transaction);
      expect(await (await payment(orderNo, '16000', card('tok_approve'))).json()).toMatchObject({
        result_code: 'E409',
      });
      expect(await inquiry(orderNo)).toEqual(transaction);
      expect(await inquiry(newKey('none'))).toMatchObject({ result_code: 'E404' });

      const cancelForm = novaForm(
        { tid: transaction.tid, amt: '15000' },
        { orderNo: transaction.tid, amt: '15000' },
      );
      const cancel = (await (await postForm(api('cancel'), cancelForm)).json()) as {
        result_code: string;
        cancel_tid: string;
      };
      expect(cancel.result_code).toBe('0000');
      expect(cancel.cancel_tid).toMatch(/^NC/);
      // A retried cancel whose answer was lost gets the same cancel again.
      expect(await (await postForm(api('cancel'), cancelForm)).json()).toMatchObject({
        cancel_tid: cancel.cancel_tid,
      });
      expect(await inquiry(orderNo)).toMatchObject({ result_code: 'C000', cancelled_amt: 15000 });
      expect(await adminCharges(sim, orderNo)).toEqual([
        expect.objectContaining({ status: 'cancelled', attempts: 3 }),
      ]);
    });

    it('declines with nova codes, for cards and bank transfers', async () => {
      expect(
        await (await payment(newKey('n'), '100', card('tok_decline_insufficient_funds'))).json(),
      ).toMatchObject({
        result_code: 'D051',
        result_msg: 'Insufficient funds',
      });
      expect(
        await (
          await payment(newKey('n'), '100', { pay_type: 'bank', bank_code: 'tok_decline_do_not_honor' })
        ).json(),
      ).toMatchObject({
        result_code: 'D005',
      });
      expect(await (await payment(newKey('n'), '100000001', card('tok_approve'))).json()).toMatchObject({
        result_code: 'D061',
      });
    });

    it('answers E401 to a wrong sign and E400 to a bad field', async () => {
      const orderNo = newKey('nova_sign');
      const forged = novaForm(
        { order_no: orderNo, amt: '100', cur: 'KRW', ...card('tok_approve') },
        { orderNo, amt: '1' },
      );
      expect(await (await postForm(api('payment'), forged)).json()).toMatchObject({ result_code: 'E401' });
      expect(await (await payment(orderNo, '100', { pay_type: 'crypto' })).json()).toMatchObject({
        result_code: 'E400',
      });
      expect(await adminCharges(sim, orderNo)).toEqual([]);
    });
  });

  describe('swiftpay', () => {
    const api = (path: string) => `${sim.pspUrl('swiftpay')}/swiftpay/v2/${path}`;
    const ready = (orderId: string, amount: number, token = 'tok_approve') =>
      postJson(
        api('ready'),
        { partner_order_id: orderId, amount, currency: 'KRW', account_token: token, provider: 'kakaopay' },
        SWIFTPAY_HEADERS,
      );

    it('readies, approves once, answers inquiries and cancels', async () => {
      const orderId = newKey('swift');
      const first = (await (await ready(orderId, 3000)).json()) as { tid: string; status: string };
      expect(first.status).toBe('READY');
      expect(first.tid).toMatch(/^S/);
      expect(await (await ready(orderId, 3000)).json()).toEqual(first);
      expect((await ready(orderId, 3100)).status).toBe(409);
      // ready, its replay and its conflict count as attempts (3), then two approvals (5).
      // A ready order is an intent, not a charge: the ground truth does not list it yet.
      expect(await adminCharges(sim, orderId)).toEqual([]);

      const approved = await (await postJson(api('approve'), { tid: first.tid }, SWIFTPAY_HEADERS)).json();
      expect(approved).toEqual({
        tid: first.tid,
        partner_order_id: orderId,
        status: 'APPROVED',
        amount: 3000,
        currency: 'KRW',
      });
      expect(await (await postJson(api('approve'), { tid: first.tid }, SWIFTPAY_HEADERS)).json()).toEqual(
        approved,
      );
      expect(await (await fetch(api(`orders/${orderId}`), { headers: SWIFTPAY_HEADERS })).json()).toEqual(
        approved,
      );

      const cancel = await postJson(api('cancel'), { tid: first.tid, amount: 3000 }, SWIFTPAY_HEADERS);
      expect(await cancel.json()).toEqual({ tid: first.tid, status: 'CANCELLED', cancel_amount: 3000 });
      expect(
        await (await fetch(api(`orders/${orderId}`), { headers: SWIFTPAY_HEADERS })).json(),
      ).toMatchObject({ status: 'CANCELLED' });
      expect(await adminCharges(sim, orderId)).toEqual([
        expect.objectContaining({
          psp: 'swiftpay',
          method: 'easy_pay',
          issuer: 'kakaopay',
          status: 'cancelled',
          attempts: 5,
        }),
      ]);
    });

    it('fails an approval with the decline of the account token', async () => {
      const orderId = newKey('swift_fail');
      const { tid } = (await (await ready(orderId, 500, 'tok_decline_expired_card')).json()) as {
        tid: string;
      };
      expect(await (await postJson(api('approve'), { tid }, SWIFTPAY_HEADERS)).json()).toMatchObject({
        status: 'FAILED',
        fail_code: 'EXPIRED_CARD',
        fail_reason: 'Card expired',
      });
      expect((await postJson(api('cancel'), { tid, amount: 500 }, SWIFTPAY_HEADERS)).status).toBe(400);
    });

    it('refuses a wrong key and unknown orders', async () => {
      expect((await ready(newKey('s'), 1)).status).toBe(200);
      const noKey = await postJson(
        api('ready'),
        { partner_order_id: newKey('s') },
        { 'content-type': 'application/json' },
      );
      expect(noKey.status).toBe(401);
      expect((await fetch(api(`orders/${newKey('none')}`), { headers: SWIFTPAY_HEADERS })).status).toBe(404);
      expect((await postJson(api('approve'), { tid: 'S000' }, SWIFTPAY_HEADERS)).status).toBe(404);
    });
  });

  describe('ports and probes', () => {
    it('serves every PSP on the main port, and only its own on a PSP port', async () => {
      const key = newKey('main_port');
      const onMain = await postJson(
        `${sim.url}/acme/v1/charges`,
        { amount: 1, currency: 'USD', source: 'tok_approve' },
        {
          ...ACME_HEADERS,
          'idempotency-key': key,
        },
      );
      expect(onMain.status).toBe(200);
      expect((await fetch(`${sim.pspUrl('acme')}/admin/charges`)).status).toBe(404);
      expect(
        (await fetch(`${sim.pspUrl('acme')}/swiftpay/v2/orders/x`, { headers: SWIFTPAY_HEADERS })).status,
      ).toBe(404);
    });

    it('answers health probes and metrics on the main port', async () => {
      expect((await fetch(`${sim.url}/health/live`)).status).toBe(200);
      expect(await (await fetch(`${sim.url}/health/ready`)).json()).toMatchObject({
        status: 'ok',
        checks: { 'psp-ports': 'up' },
      });
      const metrics = await (await fetch(`${sim.url}/metrics`)).text();
      expect(metrics).toContain('psp_sim_requests_total{psp="acme",action="proceed"');
      expect(metrics).toContain('psp_sim_charges_held');
    });
  });
});
