import { FakePspServer } from '../__fixtures__/fake-psp-server';
import { signatureHeader } from '../__fixtures__/webhook-signing';
import {
  PspProtocolError,
  PspRejectedRequestError,
  PspUnavailableError,
  PspUnknownOutcomeError,
  PspWebhookError,
} from '../psp.error';
import type { ChargeRequest } from '../psp-connector';
import { Secret } from '../secret';
import { SwiftpayConnector } from './swiftpay.connector';

let server: FakePspServer;
let swiftpay: SwiftpayConnector;

const request: ChargeRequest = {
  idempotencyKey: 'po_1',
  amountMinor: 9_900n,
  currency: 'KRW',
  method: { type: 'easy_pay', provider: 'kakaopay' },
  instrumentToken: 'tok_approve',
};

function order(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    tid: 'S1',
    partner_order_id: 'po_1',
    status: 'APPROVED',
    amount: 9900,
    currency: 'KRW',
    ...fields,
  };
}

const ready = { status: 200, body: { tid: 'S1', status: 'READY' } } as const;
const captured = { amountMinor: 9_900n, currency: 'KRW' };

beforeAll(async () => {
  server = await FakePspServer.start();
  swiftpay = new SwiftpayConnector({
    ...server.connectionSettings({ timeoutMs: 300 }),
    apiKey: new Secret('swift_test_key'),
  });
});

afterAll(async () => {
  await server.stop();
});

describe('SwiftpayConnector.charge', () => {
  it('makes the order ready, then approves its tid', async () => {
    server.respondInTurn(ready, { status: 200, body: order() });
    const before = server.requests.length;
    await expect(swiftpay.charge(request)).resolves.toEqual({
      kind: 'succeeded',
      pspReference: 'S1',
      captured,
    });
    const [readyRequest, approveRequest] = server.requests.slice(before);
    expect(readyRequest?.url).toBe('/swiftpay/v2/ready');
    expect(readyRequest?.headers['x-swift-key']).toBe('swift_test_key');
    expect(JSON.parse(readyRequest?.body ?? '')).toEqual({
      partner_order_id: 'po_1',
      amount: 9900,
      currency: 'KRW',
      account_token: 'tok_approve',
      provider: 'kakaopay',
    });
    expect(approveRequest?.url).toBe('/swiftpay/v2/approve');
    expect(JSON.parse(approveRequest?.body ?? '')).toEqual({ tid: 'S1' });
  });

  it.each([
    ['INSUFFICIENT_FUNDS', 'insufficient_funds'],
    ['INVALID_CARD', 'invalid_card'],
    ['EXPIRED_CARD', 'expired_card'],
    ['DO_NOT_HONOR', 'do_not_honor'],
    ['AMOUNT_LIMIT_EXCEEDED', 'amount_limit_exceeded'],
    ['RISK_BLOCKED', 'declined'],
  ])('maps the failure %s to %s', async (failCode, code) => {
    server.respondInTurn(ready, {
      status: 200,
      body: order({ status: 'FAILED', fail_code: failCode, fail_reason: 'No' }),
    });
    await expect(swiftpay.charge(request)).resolves.toEqual({
      kind: 'declined',
      code,
      message: 'No',
      pspCode: failCode,
      pspReference: 'S1',
    });
  });

  it('reads a pending approval; READY after approve is not understood', async () => {
    server.respondInTurn(ready, { status: 200, body: order({ status: 'PENDING' }) });
    await expect(swiftpay.charge(request)).resolves.toEqual({ kind: 'pending', pspReference: 'S1' });
    server.respondInTurn(ready, { status: 200, body: order({ status: 'READY' }) });
    await expect(swiftpay.charge(request)).rejects.toBeInstanceOf(PspProtocolError);
  });

  it('a failed ready never approved anything: even a timeout there is unavailable', async () => {
    server.respondInTurn('hang');
    const before = server.requests.length;
    await expect(swiftpay.charge(request)).rejects.toBeInstanceOf(PspUnavailableError);
    server.respondInTurn({ status: 500 });
    await expect(swiftpay.charge(request)).rejects.toBeInstanceOf(PspUnavailableError);
    expect(server.requests.slice(before).every((sent) => sent.url === '/swiftpay/v2/ready')).toBe(true);
  });

  it('a timeout or 5xx on approve is an unknown outcome; 503 there is unavailable', async () => {
    server.respondInTurn(ready, 'hang');
    const timedOut = await swiftpay.charge(request).catch((caught: unknown) => caught);
    expect(timedOut).toBeInstanceOf(PspUnknownOutcomeError);
    expect(timedOut).not.toBeInstanceOf(PspUnavailableError);
    server.respondInTurn(ready, { status: 502 });
    await expect(swiftpay.charge(request)).rejects.toBeInstanceOf(PspUnknownOutcomeError);
    server.respondInTurn(ready, { status: 503 });
    await expect(swiftpay.charge(request)).rejects.toBeInstanceOf(PspUnavailableError);
  });

  it('treats 401 and 409 as requests we got wrong, and sends nothing without a provider', async () => {
    server.respondInTurn({ status: 409, body: { error_code: 'DUPLICATE_ORDER' } });
    await expect(swiftpay.charge(request)).rejects.toBeInstanceOf(PspRejectedRequestError);
    server.respondInTurn(ready, { status: 401, body: { error_code: 'UNAUTHORIZED' } });
    await expect(swiftpay.charge(request)).rejects.toBeInstanceOf(PspRejectedRequestError);
    const before = server.requests.length;
    await expect(swiftpay.charge({ ...request, method: { type: 'easy_pay' } })).rejects.toBeInstanceOf(
      PspRejectedRequestError,
    );
    expect(server.requests.length).toBe(before);
  });

  it('refuses an approval for another amount', async () => {
    server.respondInTurn(ready, { status: 200, body: order({ amount: 1 }) });
    await expect(swiftpay.charge(request)).rejects.toBeInstanceOf(PspProtocolError);
  });
});

describe('SwiftpayConnector.inquire and refund', () => {
  it('finds the order by partner order id; 404 and READY hold no charge', async () => {
    server.respondInTurn(
      { status: 200, body: order() },
      { status: 404, body: { error_code: 'NOT_FOUND' } },
      { status: 200, body: order({ status: 'READY' }) },
    );
    await expect(swiftpay.inquire('po_1')).resolves.toEqual({
      kind: 'succeeded',
      pspReference: 'S1',
      captured,
    });
    expect(server.requests[server.requests.length - 1]?.url).toBe('/swiftpay/v2/orders/po_1');
    await expect(swiftpay.inquire('po_1')).resolves.toEqual({ kind: 'not_found' });
    await expect(swiftpay.inquire('po_1')).resolves.toEqual({ kind: 'not_found' });
  });

  it('reports what an approved order captured, and refuses one that does not say', async () => {
    const { amount: _amount, ...withoutAmount } = order();
    server.respondInTurn(
      { status: 200, body: order({ amount: 100, currency: 'JPY' }) },
      { status: 200, body: withoutAmount },
    );
    await expect(swiftpay.inquire('po_1')).resolves.toEqual({
      kind: 'succeeded',
      pspReference: 'S1',
      captured: { amountMinor: 100n, currency: 'JPY' },
    });
    await expect(swiftpay.inquire('po_1')).rejects.toBeInstanceOf(PspProtocolError);
  });

  it('reads a cancelled order as cancelled', async () => {
    server.respondInTurn({ status: 200, body: order({ status: 'CANCELLED' }) });
    await expect(swiftpay.inquire('po_1')).resolves.toEqual({ kind: 'cancelled', pspReference: 'S1' });
  });

  it('cancels by tid and amount', async () => {
    server.respondInTurn({ status: 200, body: { tid: 'S1', status: 'CANCELLED', cancel_amount: 900 } });
    await expect(
      swiftpay.refund({ idempotencyKey: 'rf_1', pspReference: 'S1', amountMinor: 900n, currency: 'KRW' }),
    ).resolves.toEqual({ kind: 'succeeded', refundReference: 'S1', amountMinor: 900n });
    expect(JSON.parse(server.requests[server.requests.length - 1]?.body ?? '')).toEqual({
      tid: 'S1',
      amount: 900,
    });
  });
});

describe('SwiftpayConnector.parseWebhook', () => {
  const nowMs = 1_760_000_000_000;

  function delivery(body: unknown, secret = 'whsec_test'): [Record<string, string>, Buffer] {
    const raw = Buffer.from(JSON.stringify(body));
    return [{ 'X-Swift-Signature': signatureHeader(secret, raw, nowMs / 1_000) }, raw];
  }

  it('reads approvals, failures and cancellations', () => {
    const approved = swiftpay.parseWebhook(
      ...delivery({ event_id: 'e1', event: 'payment.approved', order: order() }),
      nowMs,
    );
    expect(approved).toEqual({
      pspId: 'swiftpay',
      eventId: 'e1',
      idempotencyKey: 'po_1',
      pspReference: 'S1',
      change: { kind: 'charge', outcome: { kind: 'succeeded', pspReference: 'S1', captured } },
    });
    const failed = swiftpay.parseWebhook(
      ...delivery({
        event_id: 'e2',
        event: 'payment.failed',
        order: order({
          status: 'FAILED',
          fail_code: 'INSUFFICIENT_FUNDS',
          fail_reason: 'Insufficient funds',
        }),
      }),
      nowMs,
    );
    expect(failed.change).toMatchObject({
      kind: 'charge',
      outcome: { kind: 'declined', code: 'insufficient_funds' },
    });
    const cancelled = swiftpay.parseWebhook(
      ...delivery({ event_id: 'e3', event: 'payment.cancelled', order: order({ status: 'CANCELLED' }) }),
      nowMs,
    );
    expect(cancelled.change).toEqual({ kind: 'refunded' });
  });

  it('rejects a bad signature and an unknown status', () => {
    expect(() =>
      swiftpay.parseWebhook(
        ...delivery({ event_id: 'e1', event: 'payment.approved', order: order() }, 'forged'),
        nowMs,
      ),
    ).toThrow(PspWebhookError);
    expect(() =>
      swiftpay.parseWebhook(
        ...delivery({ event_id: 'e1', event: 'payment.approved', order: order({ status: 'REFUNDING' }) }),
        nowMs,
      ),
    ).toThrow(PspWebhookError);
  });
});
