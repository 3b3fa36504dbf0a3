import { DEFAULT_PSP_CONNECTIONS_MAX, PspHttpClient, type PspHttpResponse } from './http/psp-http';
import { errorExcerpt } from './http/wire-reader';
import { PspProtocolError, PspRejectedRequestError } from './psp.error';
import type {
  ChargeRequest,
  InquiryOutcome,
  PspConnector,
  PspOutcome,
  PspWebhookEvent,
  RefundOutcome,
  RefundRequest,
  WebhookHeaders,
} from './psp-connector';
import { assertValidConnectionSettings, type PspConnectionSettings } from './psp-settings';
import { readWebhookPayload } from './webhook/webhook-payload.util';
import { headerValue, verifyWebhookSignature } from './webhook/webhook-signature';

/**
 * What every connector that speaks HTTP to its PSP does the same way: its settings checked as it is
 * made, one pool of keep-alive connections, webhooks verified against the signing secret before a
 * byte of them is read, and answers outside 2xx read by one rule. Each PSP's folder adds its
 * dialect: the requests, the answers and the webhook body.
 */
export abstract class HttpPspConnector<Settings extends PspConnectionSettings> implements PspConnector {
  protected readonly http: PspHttpClient;

  /** Throws PspConfigurationError for settings the connector cannot work with. */
  protected constructor(
    readonly pspId: string,
    protected readonly settings: Settings,
    private readonly signatureHeader: string,
  ) {
    assertValidConnectionSettings(pspId, settings);
    this.http = new PspHttpClient(pspId, {
      ...settings,
      connectionsMax: settings.connectionsMax ?? DEFAULT_PSP_CONNECTIONS_MAX,
    });
  }

  abstract charge(request: ChargeRequest, signal?: AbortSignal): Promise<PspOutcome>;

  abstract inquire(idempotencyKey: string, signal?: AbortSignal): Promise<InquiryOutcome>;

  abstract refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundOutcome>;

  parseWebhook(headers: WebhookHeaders, rawBody: Buffer, nowMs: number): PspWebhookEvent {
    verifyWebhookSignature(this.pspId, headerValue(headers, this.signatureHeader), rawBody, nowMs, {
      secret: this.settings.webhookSecret,
      toleranceMs: this.settings.webhookToleranceMs,
    });
    return readWebhookPayload(this.pspId, () => this.readWebhook(rawBody));
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** Reads a webhook body whose signature and age were verified, in the PSP's dialect. */
  protected abstract readWebhook(rawBody: Buffer): PspWebhookEvent;

  /**
   * 4xx: a request we got wrong (401 credentials, 400 invalid, 409 key reused with another body).
   * Any other answer outside 2xx is not understood (the client already threw for 5xx and 429).
   */
  protected rejectUnlessOk(response: PspHttpResponse): void {
    if (response.status >= 200 && response.status < 300) return;
    if (response.status >= 400 && response.status < 500) {
      throw new PspRejectedRequestError(
        this.pspId,
        `answered ${response.status}: ${errorExcerpt(response)}`,
        String(response.status),
      );
    }
    throw new PspProtocolError(this.pspId, `unexpected HTTP ${response.status}`);
  }
}
