import type { PspHttpResponse } from '../http/psp-http';
import { WireReader } from '../http/wire-reader';
import { HttpPspConnector } from '../http-psp-connector';
import type {
  ChargeRequest,
  InquiryOutcome,
  PspOutcome,
  PspWebhookEvent,
  RefundOutcome,
  RefundRequest,
} from '../psp-connector';
import { amountAsJsonNumber, pspUrl, type PspConnectionSettings } from '../psp-settings';
import type { Secret } from '../secret';
import { parseWebhookJson } from '../webhook/webhook-payload.util';
import { ACME_SIGNATURE_HEADER, readAcmeWebhook } from './acme-webhook.transformer';
import {
  ACME_PSP_ID,
  acmeChargeBody,
  acmeOutcomeOf,
  assertChargeMatches,
  readAcmeCharge,
  readAcmeRefund,
} from './acme.transformer';

export interface AcmeSettings extends PspConnectionSettings {
  /** Sent as `Authorization: Bearer <apiKey>`. */
  readonly apiKey: Secret;
}

/** acme: a JSON card API with Stripe-like charges, idempotent by the `Idempotency-Key` header. */
export class AcmeConnector extends HttpPspConnector<AcmeSettings> {
  constructor(settings: AcmeSettings) {
    super(ACME_PSP_ID, settings, ACME_SIGNATURE_HEADER);
  }

  async charge(request: ChargeRequest, signal?: AbortSignal): Promise<PspOutcome> {
    const response = await this.send('POST', '/acme/v1/charges', signal, {
      body: acmeChargeBody(request),
      idempotencyKey: request.idempotencyKey,
    });
    this.rejectUnlessOk(response);
    const charge = readAcmeCharge(WireReader.ofJson(ACME_PSP_ID, response, 'charge'));
    assertChargeMatches(charge, request);
    return acmeOutcomeOf(charge);
  }

  async inquire(idempotencyKey: string, signal?: AbortSignal): Promise<InquiryOutcome> {
    const response = await this.send('GET', '/acme/v1/charges', signal, {
      query: { idempotency_key: idempotencyKey },
    });
    if (response.status === 404) return { kind: 'not_found' };
    this.rejectUnlessOk(response);
    return acmeOutcomeOf(readAcmeCharge(WireReader.ofJson(ACME_PSP_ID, response, 'charge')));
  }

  async refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundOutcome> {
    const path = `/acme/v1/charges/${encodeURIComponent(request.pspReference)}/refunds`;
    const response = await this.send('POST', path, signal, {
      body: JSON.stringify({ amount: amountAsJsonNumber(ACME_PSP_ID, request.amountMinor) }),
      idempotencyKey: request.idempotencyKey,
    });
    this.rejectUnlessOk(response);
    return readAcmeRefund(WireReader.ofJson(ACME_PSP_ID, response, 'refund'));
  }

  protected readWebhook(rawBody: Buffer): PspWebhookEvent {
    return readAcmeWebhook(parseWebhookJson(ACME_PSP_ID, rawBody));
  }

  private send(
    method: 'GET' | 'POST',
    path: string,
    signal: AbortSignal | undefined,
    options: { body?: string; idempotencyKey?: string; query?: Record<string, string> },
  ): Promise<PspHttpResponse> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.settings.apiKey.reveal()}`,
      accept: 'application/json',
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    return this.http.send(
      { method, url: pspUrl(this.settings, path, options.query), headers, body: options.body },
      signal,
    );
  }
}
