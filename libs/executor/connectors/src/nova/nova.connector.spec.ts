import { createHash } from 'node:crypto';
import { FakePspServer } from '../__fixtures__/fake-psp-server';
import { signatureHeader } from '../__fixtures__/webhook-signing';
import {
  PspProtocolError,
  PspRejectedRequestError,
  PspUnknownOutcomeError,
  PspWebhookError,
  WebhookRejection,
} from '../psp.error';
import type { ChargeRequest } from '../psp-connector';
import { Secret } from '../secret';
import { NovaConnector } from './nova.connector';
import { classifyNovaResultCode } from './nova.transformer';

const captured = { amountMinor: 25_000n, currency: 'KRW' };

let server: FakePspServer;
let nova: NovaConnector;

const request: ChargeRequest = {
  idempotencyKey: 'po_1',
  amountMinor: 25_000n,
  currency: 'KRW',
  method: { type: 'bank_transfer', provider: 'kb' },
  instrumentToken: 'tok_approve',
};

function transaction(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    result_code: '0000',
    result_msg: 'Approved',
    tid: 'N1',
    order_no: 'po_1',
    amt: 25000,
    cur: 'KRW',
    ...fields,
  };
}

function lastForm(): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(server.requests[server.requests.length - 1]?.body ?? ''));
}

function rejectionOf(run: () => void): WebhookRejection | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof PspWebhookError) return error.rejection;
    throw error;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

beforeAll(async () => {
  server = await FakePspServer.start();
  nova = new NovaConnector({
    ...server.connectionSettings(),
    merchantId: 'nova_mid_test',
    signingSecret: new Secret('nova_secret_test'),
  });
});

afterAll(async () => {
  await server.stop();
});

describe('NovaConnector.charge', () => {
  it('posts a signed form: bank transfers carry the token as bank_code', async () => {
    server.respondInTurn({ status: 200, body: transaction() });
    await expect(nova.charge(request)).resolves.toEqual({ kind: 'succeeded', pspReference: 'N1', captured });
    const sent = server.requests[server.requests.length - 1];
    expect(sent?.url).toBe('/nova/api/payment');
    expect(sent?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(lastForm()).toEqual({
      mid: 'nova_mid_test',
      order_no: 'po_1',
      amt: '25000',
      cur: 'KRW',
      pay_type: 'bank',
      bank_code: 'tok_approve',
      issuer: 'kb',
      sign: sha256('nova_mid_test|po_1|25000|nova_secret_test'),
    });
  });

  it('sends cards as card_token', async () => {
    server.respondInTurn({ status: 200, body: transaction() });
    await nova.charge({ ...request, method: { type: 'card' } });
    expect(lastForm()).toMatchObject({ pay_type: 'card', card_token: 'tok_approve' });
    expect(lastForm()['issuer']).toBeUndefined();
  });

  it.each([
    ['D051', 'insufficient_funds'],
    ['D014', 'invalid_card'],
    ['D054', 'expired_card'],
    ['D005', 'do_not_honor'],
    ['D061', 'amount_limit_exceeded'],
    ['D099', 'declined'],
  ])('maps the decline %s to %s', async (resultCode, code) => {
    server.respondInTurn({ status: 200, body: transaction({ result_code: resultCode, result_msg: 'No' }) });
    await expect(nova.charge(request)).resolves.toEqual({
      kind: 'declined',
      code,
      message: 'No',
      pspCode: resultCode,
      pspReference: 'N1',
    });
  });

  it('reads pending and cancelled results', async () => {
    server.respondInTurn(
      { status: 200, body: transaction({ result_code: 'P000' }) },
      { status: 200, body: transaction({ result_code: 'C000' }) },
    );
    await expect(nova.charge(request)).resolves.toEqual({ kind: 'pending', pspReference: 'N1' });
    await expect(nova.charge(request)).resolves.toEqual({ kind: 'cancelled', pspReference: 'N1' });
  });

  it('turns in-band errors into typed errors: E4xx rejected, E5xx unknown', async () => {
    server.respondInTurn(
      { status: 200, body: { result_code: 'E401', result_msg: 'Invalid signature' } },
      { status: 200, body: { result_code: 'E409', result_msg: 'Order number used' } },
      { status: 200, body: { result_code: 'E500', result_msg: 'System error' } },
    );
    const unauthorized = await nova.charge(request).catch((caught: unknown) => caught);
    expect(unauthorized).toBeInstanceOf(PspRejectedRequestError);
    expect((unauthorized as PspRejectedRequestError).pspCode).toBe('E401');
    await expect(nova.charge(request)).rejects.toBeInstanceOf(PspRejectedRequestError);
    const systemError = await nova.charge(request).catch((caught: unknown) => caught);
    expect(systemError).toBeInstanceOf(PspUnknownOutcomeError);
    expect(systemError).not.toBeInstanceOf(PspProtocolError);
  });

  it('refuses an unknown result code and a transaction for another amount', async () => {
    server.respondInTurn(
      { status: 200, body: transaction({ result_code: 'X123' }) },
      { status: 200, body: transaction({ amt: 24999 }) },
    );
    await expect(nova.charge(request)).rejects.toBeInstanceOf(PspProtocolError);
    await expect(nova.charge(request)).rejects.toBeInstanceOf(PspProtocolError);
  });

  it('sends nothing for a method nova does not take', async () => {
    const before = server.requests.length;
    await expect(nova.charge({ ...request, method: { type: 'easy_pay' } })).rejects.toBeInstanceOf(
      PspRejectedRequestError,
    );
    expect(server.requests.length).toBe(before);
  });
});

describe('NovaConnector.inquire and refund', () => {
  it('inquires with amount 0 in the signature; E404 means no transaction', async () => {
    server.respondInTurn(
      { status: 200, body: transaction() },
      { status: 200, body: { result_code: 'E404' } },
    );
    await expect(nova.inquire('po_1')).resolves.toEqual({ kind: 'succeeded', pspReference: 'N1', captured });
    expect(lastForm()).toEqual({
      mid: 'nova_mid_test',
      order_no: 'po_1',
      sign: sha256('nova_mid_test|po_1|0|nova_secret_test'),
    });
    await expect(nova.inquire('po_2')).resolves.toEqual({ kind: 'not_found' });
  });

  it('cancels by tid, signed with the tid in the order number place', async () => {
    server.respondInTurn({ status: 200, body: { result_code: '0000', cancel_tid: 'NC1', tid: 'N1' } });
    await expect(
      nova.refund({ idempotencyKey: 'rf_1', pspReference: 'N1', amountMinor: 5_000n, currency: 'KRW' }),
    ).resolves.toEqual({ kind: 'succeeded', refundReference: 'NC1', amountMinor: 5_000n });
    expect(server.requests[server.requests.length - 1]?.url).toBe('/nova/api/cancel');
    expect(lastForm()).toEqual({
      mid: 'nova_mid_test',
      tid: 'N1',
      amt: '5000',
      sign: sha256('nova_mid_test|N1|5000|nova_secret_test'),
    });
  });
});

describe('NovaConnector.parseWebhook', () => {
  const nowMs = 1_760_000_000_000;

  function delivery(fields: Record<string, string>, secret = 'whsec_test'): [Record<string, string>, Buffer] {
    const raw = Buffer.from(new URLSearchParams(fields).toString());
    return [{ 'x-nova-signature': signatureHeader(secret, raw, nowMs / 1_000) }, raw];
  }

  const fields = {
    result_code: '0000',
    result_msg: 'Approved',
    tid: 'N1',
    order_no: 'po_1',
    amt: '25000',
    cur: 'KRW',
  };

  it('reads a signed form and names the event by tid and event', () => {
    const event = nova.parseWebhook(...delivery({ ...fields, event: 'approved', notified_at: '1' }), nowMs);
    expect(event).toEqual({
      pspId: 'nova',
      eventId: 'N1:approved',
      idempotencyKey: 'po_1',
      pspReference: 'N1',
      change: { kind: 'charge', outcome: { kind: 'succeeded', pspReference: 'N1', captured } },
    });
  });

  it('reads an approval that does not say what it captured as malformed', () => {
    const { amt: _amount, ...withoutAmount } = fields;
    const approval = delivery({ ...withoutAmount, event: 'approved', notified_at: '1' });
    expect(rejectionOf(() => nova.parseWebhook(...approval, nowMs))).toBe(WebhookRejection.MalformedPayload);
  });

  it('reads declines with the mapped code, and cancels as refunds with their own ids', () => {
    const declined = nova.parseWebhook(
      ...delivery({ ...fields, result_code: 'D051', result_msg: 'Insufficient funds', event: 'declined' }),
      nowMs,
    );
    expect(declined.change).toEqual({
      kind: 'charge',
      outcome: {
        kind: 'declined',
        code: 'insufficient_funds',
        message: 'Insufficient funds',
        pspCode: 'D051',
        pspReference: 'N1',
      },
    });
    const cancelled = nova.parseWebhook(
      ...delivery({
        ...fields,
        result_code: 'C000',
        event: 'cancelled',
        cancel_tid: 'NC7',
        cancel_amt: '100',
      }),
      nowMs,
    );
    expect(cancelled).toMatchObject({ eventId: 'N1:cancelled:NC7', change: { kind: 'refunded' } });
  });

  it('rejects a bad signature and an unknown event', () => {
    expect(() => nova.parseWebhook(...delivery({ ...fields, event: 'approved' }, 'forged'), nowMs)).toThrow(
      PspWebhookError,
    );
    expect(() => nova.parseWebhook(...delivery({ ...fields, event: 'disputed' }), nowMs)).toThrow(
      PspWebhookError,
    );
  });
});

describe('classifyNovaResultCode', () => {
  it.each([
    ['0000', 'approved'],
    ['D001', 'declined'],
    ['P000', 'pending'],
    ['C000', 'cancelled'],
    ['E404', 'not_found'],
    ['E422', 'request_error'],
    ['E503', 'server_error'],
  ])('classifies %s as %s', (code, resultClass) => {
    expect(classifyNovaResultCode(code)).toBe(resultClass);
  });

  it.each(['', '0001', 'D100', 'P001', 'E600', 'approved'])('refuses %p', (code) => {
    expect(() => classifyNovaResultCode(code)).toThrow(PspProtocolError);
  });
});
