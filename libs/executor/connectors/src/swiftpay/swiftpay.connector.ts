import type { PspHttpResponse } from '../http/psp-http';
import { WireReader } from '../http/wire-reader';
import { HttpPspConnector } from '../http-psp-connector';
import { PspProtocolError, PspUnavailableError, PspUnknownOutcomeError } from '../psp.error';
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
import { readSwiftpayWebhook, SWIFTPAY_SIGNATURE_HEADER } from './swiftpay-webhook.transformer';
import {
  assertOrderMatches,
  readSwiftpayOrder,
  SWIFTPAY_PSP_ID,
  swiftpayOutcomeOf,
  swiftpayReadyBody,
} from './swiftpay.transformer';

export interface SwiftpaySettings extends PspConnectionSettings {
  /** Sent as `X-Swift-Key`. */
  readonly apiKey: Secret;
}

/** swiftpay: a two-step easy-pay API; `ready` prepares an order (no money moves), `approve` charges it. */
export class SwiftpayConnector extends HttpPspConnector<SwiftpaySettings> {
  constructor(settings: SwiftpaySettings) {
    super(SWIFTPAY_PSP_ID, settings, SWIFTPAY_SIGNATURE_HEADER);
  }

  async charge(request: ChargeRequest, signal?: AbortSignal): Promise<PspOutcome> {
    const tid = await this.ready(request, signal);
    const response = await this.send('POST', '/swiftpay/v2/approve', signal, JSON.stringify({ tid }));
    const order = readSwiftpayOrder(WireReader.ofJson(SWIFTPAY_PSP_ID, response, 'approval'));
    assertOrderMatches(order, request);
    const outcome = swiftpayOutcomeOf(order);
    if (outcome.kind === 'not_found') {
      throw new PspProtocolError(SWIFTPAY_PSP_ID, `approve left order ${order.tid} ${order.status}`);
    }
    return outcome;
  }

  async inquire(idempotencyKey: string, signal?: AbortSignal): Promise<InquiryOutcome> {
    const path = `/swiftpay/v2/orders/${encodeURIComponent(idempotencyKey)}`;
    const response = await this.send('GET', path, signal, undefined, { notFoundIsAnswer: true });
    if (response.status === 404) return { kind: 'not_found' };
    const order = readSwiftpayOrder(WireReader.ofJson(SWIFTPAY_PSP_ID, response, 'order'));
    if (order.partnerOrderId !== undefined && order.partnerOrderId !== idempotencyKey) {
      throw new PspProtocolError(SWIFTPAY_PSP_ID, `order ${order.tid} belongs to another key`);
    }
    return swiftpayOutcomeOf(order);
  }

  async refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundOutcome> {
    const body = JSON.stringify({
      tid: request.pspReference,
      amount: amountAsJsonNumber(SWIFTPAY_PSP_ID, request.amountMinor),
    });
    const response = await this.send('POST', '/swiftpay/v2/cancel', signal, body);
    const reader = WireReader.ofJson(SWIFTPAY_PSP_ID, response, 'cancellation');
    const order = readSwiftpayOrder(reader);
    if (order.status !== 'CANCELLED') {
      throw new PspProtocolError(SWIFTPAY_PSP_ID, `cancel left order ${order.tid} ${order.status}`);
    }
    return {
      kind: 'succeeded',
      refundReference: order.tid,
      amountMinor: reader.amountMinor('cancel_amount'),
    };
  }

  protected readWebhook(rawBody: Buffer): PspWebhookEvent {
    return readSwiftpayWebhook(parseWebhookJson(SWIFTPAY_PSP_ID, rawBody));
  }

  /**
   * Prepares the order and returns its tid. `ready` moves no money, so when it fails in a way that
   * would otherwise be an unknown outcome, the charge is still certainly not made: unavailable.
   */
  private async ready(request: ChargeRequest, signal?: AbortSignal): Promise<string> {
    try {
      const response = await this.send('POST', '/swiftpay/v2/ready', signal, swiftpayReadyBody(request));
      // Whatever the status (an earlier attempt under this key may have gone further), approving
      // the same tid again answers for that order and never charges it twice.
      return readSwiftpayOrder(WireReader.ofJson(SWIFTPAY_PSP_ID, response, 'ready')).tid;
    } catch (error) {
      if (error instanceof PspUnknownOutcomeError) {
        throw new PspUnavailableError(
          SWIFTPAY_PSP_ID,
          `ready failed, nothing approved: ${error.message}`,
          undefined,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  private async send(
    method: 'GET' | 'POST',
    path: string,
    signal: AbortSignal | undefined,
    body?: string,
    options: { notFoundIsAnswer?: boolean } = {},
  ): Promise<PspHttpResponse> {
    const headers: Record<string, string> = {
      'x-swift-key': this.settings.apiKey.reveal(),
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.http.send(
      { method, url: pspUrl(this.settings, path), headers, body },
      signal,
    );
    if (response.status === 404 && options.notFoundIsAnswer === true) return response;
    this.rejectUnlessOk(response);
    return response;
  }
}
