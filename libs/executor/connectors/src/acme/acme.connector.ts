import { DEFAULT_PSP_CONNECTIONS_MAX, PspHttpClient, type PspHttpResponse } from '../http/psp-http';
import { errorExcerpt, WireReader } from '../http/wire-reader';
import { PspProtocolError, PspRejectedRequestError } from '../psp.error';
import type {
  ChargeRequest,
  InquiryOutcome,
  PspConnector,
  PspOutcome,
  PspWebhookEvent,
  RefundOutcome,
  RefundRequest,
  WebhookHeaders,
} from '../psp-connector';
import {
  amountAsJsonNumber,
  assertValidConnectionSettings,
  pspUrl,
  type PspConnectionSettings,
} from '../psp-settings';
import type { Secret } from '../secret';
import { parseWebhookJson, readWebhookPayload } from '../webhook/webhook-payload.util';
import { headerValue, verifyWebhookSignature } from '../webhook/webhook-signature';
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
export class AcmeConnector implements PspConnector {
  readonly pspId = ACME_PSP_ID;

  private readonly http: PspHttpClient;

  constructor(private readonly settings: AcmeSettings) {
    assertValidConnectionSettings(ACME_PSP_ID, settings);
    this.http = new PspHttpClient(ACME_PSP_ID, {
      ...settings,
      connectionsMax: settings.connectionsMax ?? DEFAULT_PSP_CONNECTIONS_MAX,
    });
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

  close(): Promise<void> {
    return this.http.close();
  }

  parseWebhook(headers: WebhookHeaders, rawBody: Buffer, nowMs: number): PspWebhookEvent {
    verifyWebhookSignature(ACME_PSP_ID, headerValue(headers, ACME_SIGNATURE_HEADER), rawBody, nowMs, {
      secret: this.settings.webhookSecret,
      toleranceMs: this.settings.webhookToleranceMs,
    });
    return readWebhookPayload(ACME_PSP_ID, () => readAcmeWebhook(parseWebhookJson(ACME_PSP_ID, rawBody)));
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

  /** 4xx: a request we got wrong (401 credentials, 400 invalid, 409 key reused with another body). */
  private rejectUnlessOk(response: PspHttpResponse): void {
    if (response.status >= 200 && response.status < 300) return;
    if (response.status >= 400 && response.status < 500) {
      throw new PspRejectedRequestError(
        ACME_PSP_ID,
        `answered ${response.status}: ${errorExcerpt(response)}`,
        String(response.status),
      );
    }
    throw new PspProtocolError(ACME_PSP_ID, `unexpected HTTP ${response.status}`);
  }
}
