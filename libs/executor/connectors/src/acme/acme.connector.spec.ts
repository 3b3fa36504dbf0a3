import { FakePspServer } from '../__fixtures__/fake-psp-server';
import { signatureHeader } from '../__fixtures__/webhook-signing';
import {
  PspProtocolError,
  PspRejectedRequestError,
  PspUnavailableError,
  PspUnknownOutcomeError,
  PspWebhookError,
  WebhookRejection,
} from '../psp.error';
import type { ChargeRequest } from '../psp-connector';
import { Secret } from '../secret';
import { AcmeConnector } from './acme.connector';

const captured = { amountMinor: 1_500n, currency: 'KRW' };

let server: FakePspServer;
let acme: AcmeConnector;

const request: ChargeRequest = {
  idempotencyKey: 'po_1',
  amountMinor: 1_500n,
  currency: 'KRW',
  method: { type: 'card', provider: 'shinhan' },
  instrumentToken: 'tok_approve',
};

function charge(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'ch_1',
    status: 'succeeded',
    amount: 1500,
    currency: 'KRW',
    reference: 'po_1',
    created: 1,
    ...fields,
  };
}

beforeAll(async () => {
  server = await FakePspServer.start();
  acme = new AcmeConnector({ ...server.connectionSettings(), apiKey: new Secret('acme_test_key') });
});

afterAll(async () => {
  await server.stop();
});

describe('AcmeConnector.charge', () => {
  it('posts JSON with the bearer key and the idempotency key, and reads a success', async () => {
    server.respondInTurn({ status: 200, body: charge() });
    await expect(acme.charge(request)).resolves.toEqual({
      kind: 'succeeded',
      pspReference: 'ch_1',
      captured,
    });
    const sent = server.requests[server.requests.length - 1];
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/acme/v1/charges');
    expect(sent?.headers['authorization']).toBe('Bearer acme_test_key');
    expect(sent?.headers['idempotency-key']).toBe('po_1');
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      amount: 1500,
      currency: 'KRW',
      source: 'tok_approve',
      issuer: 'shinhan',
      reference: 'po_1',
    });
  });

  it.each([
    ['insufficient_funds', 'insufficient_funds'],
    ['invalid_card', 'invalid_card'],
    ['expired_card', 'expired_card'],
    ['do_not_honor', 'do_not_honor'],
    ['amount_limit_exceeded', 'amount_limit_exceeded'],
    ['card_velocity_exceeded', 'declined'],
  ])('maps the decline code %s to %s', async (failureCode, code) => {
    server.respondInTurn({
      status: 200,
      body: charge({ status: 'declined', failure_code: failureCode, failure_message: 'Nope' }),
    });
    await expect(acme.charge(request)).resolves.toEqual({
      kind: 'declined',
      code,
      message: 'Nope',
      pspCode: failureCode,
      pspReference: 'ch_1',
    });
  });

  it('reads pending and canceled charges', async () => {
    server.respondInTurn(
      { status: 200, body: charge({ status: 'pending' }) },
      { status: 200, body: charge({ status: 'canceled' }) },
    );
    await expect(acme.charge(request)).resolves.toEqual({ kind: 'pending', pspReference: 'ch_1' });
    await expect(acme.charge(request)).resolves.toEqual({ kind: 'cancelled', pspReference: 'ch_1' });
  });

  it('refuses to guess: an unknown status, a charge for another amount, a body that is not JSON', async () => {
    server.respondInTurn(
      { status: 200, body: charge({ status: 'requires_action' }) },
      { status: 200, body: charge({ amount: 1499 }) },
      { status: 200, body: '<html>' },
    );
    for (let index = 0; index < 3; index += 1) {
      const error = await acme.charge(request).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PspProtocolError);
      // A protocol error is an unknown outcome: the charge may exist.
      expect(error).toBeInstanceOf(PspUnknownOutcomeError);
    }
  });

  it.each([400, 401, 409])('treats %i as a request we got wrong', async (status) => {
    server.respondInTurn({ status, body: { error: { type: 'x' } } });
    const error = await acme.charge(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PspRejectedRequestError);
    expect((error as PspRejectedRequestError).pspCode).toBe(String(status));
  });

  it('passes on 503 as unavailable', async () => {
    server.respondInTurn({ status: 503 });
    await expect(acme.charge(request)).rejects.toBeInstanceOf(PspUnavailableError);
  });

  it('sends nothing for a charge without a token', async () => {
    const before = server.requests.length;
    const { instrumentToken: _token, ...withoutToken } = request;
    await expect(acme.charge(withoutToken)).rejects.toBeInstanceOf(PspRejectedRequestError);
    expect(server.requests.length).toBe(before);
  });
});

describe('AcmeConnector.inquire and refund', () => {
  it('finds the charge by idempotency key, or reports none', async () => {
    server.respondInTurn(
      { status: 200, body: charge() },
      { status: 404, body: { error: { type: 'not_found' } } },
    );
    await expect(acme.inquire('po_1')).resolves.toEqual({
      kind: 'succeeded',
      pspReference: 'ch_1',
      captured,
    });
    expect(server.requests[server.requests.length - 1]?.url).toBe('/acme/v1/charges?idempotency_key=po_1');
    await expect(acme.inquire('po_2')).resolves.toEqual({ kind: 'not_found' });
  });

  it('reports what a success captured, for the executor to check against the order', async () => {
    server.respondInTurn(
      { status: 200, body: charge({ amount: 900, currency: 'USD' }) },
      { status: 200, body: charge({ amount: 0 }) },
      { status: 200, body: charge({ currency: 'krw' }) },
    );
    await expect(acme.inquire('po_1')).resolves.toEqual({
      kind: 'succeeded',
      pspReference: 'ch_1',
      captured: { amountMinor: 900n, currency: 'USD' },
    });
    // A success that took nothing, or in no ISO 4217 code, is not understood.
    await expect(acme.inquire('po_1')).rejects.toBeInstanceOf(PspProtocolError);
    await expect(acme.inquire('po_1')).rejects.toBeInstanceOf(PspProtocolError);
  });

  it('refunds a charge with the amount and the idempotency key', async () => {
    server.respondInTurn({
      status: 200,
      body: { id: 're_1', charge: 'ch_1', amount: 500, status: 'succeeded' },
    });
    await expect(
      acme.refund({ idempotencyKey: 'rf_1', pspReference: 'ch_1', amountMinor: 500n, currency: 'KRW' }),
    ).resolves.toEqual({ kind: 'succeeded', refundReference: 're_1', amountMinor: 500n });
    const sent = server.requests[server.requests.length - 1];
    expect(sent?.url).toBe('/acme/v1/charges/ch_1/refunds');
    expect(sent?.headers['idempotency-key']).toBe('rf_1');
    expect(JSON.parse(sent?.body ?? '')).toEqual({ amount: 500 });
  });
});

describe('AcmeConnector.parseWebhook', () => {
  const nowMs = 1_760_000_000_000;

  function delivery(body: unknown, secret = 'whsec_test'): [Record<string, string>, Buffer] {
    const raw = Buffer.from(JSON.stringify(body));
    return [{ 'acme-signature': signatureHeader(secret, raw, nowMs / 1_000) }, raw];
  }

  it('reads a signed charge event with its id for dedupe', () => {
    const [headers, raw] = delivery({ id: 'evt_1', type: 'charge.succeeded', data: charge() });
    expect(acme.parseWebhook(headers, raw, nowMs)).toEqual({
      pspId: 'acme',
      eventId: 'evt_1',
      idempotencyKey: 'po_1',
      pspReference: 'ch_1',
      change: { kind: 'charge', outcome: { kind: 'succeeded', pspReference: 'ch_1', captured } },
    });
  });

  it('reads declines and refunds', () => {
    const declined = delivery({
      id: 'evt_2',
      type: 'charge.declined',
      data: charge({
        status: 'declined',
        failure_code: 'insufficient_funds',
        failure_message: 'Insufficient funds',
      }),
    });
    expect(acme.parseWebhook(...declined, nowMs).change).toEqual({
      kind: 'charge',
      outcome: {
        kind: 'declined',
        code: 'insufficient_funds',
        message: 'Insufficient funds',
        pspCode: 'insufficient_funds',
        pspReference: 'ch_1',
      },
    });
    const refunded = delivery({ id: 'evt_3', type: 'charge.refunded', data: charge() });
    expect(acme.parseWebhook(...refunded, nowMs).change).toEqual({ kind: 'refunded' });
  });

  it('rejects a forged signature before reading the body', () => {
    const [headers, raw] = delivery(
      { id: 'evt_1', type: 'charge.succeeded', data: charge() },
      'whsec_forged',
    );
    expect(() => acme.parseWebhook(headers, raw, nowMs)).toThrow(PspWebhookError);
  });

  it('rejects an unknown event type, a success that captured nothing or a malformed body as malformed', () => {
    const unknownType = delivery({ id: 'evt_4', type: 'charge.disputed', data: charge() });
    const capturedNothing = delivery({ id: 'evt_5', type: 'charge.succeeded', data: charge({ amount: 0 }) });
    const notJson = ((): [Record<string, string>, Buffer] => {
      const raw = Buffer.from('not json');
      return [{ 'acme-signature': signatureHeader('whsec_test', raw, nowMs / 1_000) }, raw];
    })();
    for (const [headers, raw] of [unknownType, capturedNothing, notJson]) {
      let rejection: WebhookRejection | undefined;
      try {
        acme.parseWebhook(headers, raw, nowMs);
      } catch (error) {
        rejection = error instanceof PspWebhookError ? error.rejection : undefined;
      }
      expect(rejection).toBe(WebhookRejection.MalformedPayload);
    }
  });
});
