import type { PaymentMethodType } from '@keel/contracts';
import type { PspHttpResponse } from '../http/psp-http';
import { WireReader } from '../http/wire-reader';
import { HttpPspConnector } from '../http-psp-connector';
import { PspProtocolError, PspRejectedRequestError } from '../psp.error';
import type {
  ChargeRequest,
  InquiryOutcome,
  PspOutcome,
  PspWebhookEvent,
  RefundOutcome,
  RefundRequest,
} from '../psp-connector';
import { pspUrl, type PspConnectionSettings } from '../psp-settings';
import type { Secret } from '../secret';
import { NOVA_SIGNATURE_HEADER, readNovaWebhook } from './nova-webhook.transformer';
import {
  assertTransactionMatches,
  NOVA_PSP_ID,
  novaInBandError,
  novaOutcomeOf,
  novaSign,
  readNovaTransaction,
  type NovaTransaction,
} from './nova.transformer';

export interface NovaSettings extends PspConnectionSettings {
  readonly merchantId: string;
  /** Appended to the signed text of every request. */
  readonly signingSecret: Secret;
}

type NovaPayType = 'card' | 'bank';

/** nova: a form-encoded card and bank-transfer API; each request signed with SHA-256. */
export class NovaConnector extends HttpPspConnector<NovaSettings> {
  constructor(settings: NovaSettings) {
    super(NOVA_PSP_ID, settings, NOVA_SIGNATURE_HEADER);
  }

  async charge(request: ChargeRequest, signal?: AbortSignal): Promise<PspOutcome> {
    const amount = request.amountMinor.toString();
    const fields: Record<string, string> = {
      mid: this.settings.merchantId,
      order_no: request.idempotencyKey,
      amt: amount,
      cur: request.currency,
      ...this.instrumentFields(request),
      sign: this.sign(request.idempotencyKey, amount),
    };
    const transaction = await this.post('/nova/api/payment', fields, signal);
    assertTransactionMatches(transaction, {
      orderNo: request.idempotencyKey,
      amountMinor: request.amountMinor,
      currency: request.currency,
    });
    return novaOutcomeOf(transaction);
  }

  async inquire(idempotencyKey: string, signal?: AbortSignal): Promise<InquiryOutcome> {
    const fields = {
      mid: this.settings.merchantId,
      order_no: idempotencyKey,
      sign: this.sign(idempotencyKey, '0'),
    };
    const transaction = await this.post('/nova/api/inquiry', fields, signal);
    if (transaction.resultClass === 'not_found') return { kind: 'not_found' };
    assertTransactionMatches(transaction, { orderNo: idempotencyKey });
    return novaOutcomeOf(transaction);
  }

  async refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundOutcome> {
    const amount = request.amountMinor.toString();
    const fields = {
      mid: this.settings.merchantId,
      tid: request.pspReference,
      amt: amount,
      // nova signs a cancellation with the transaction id in the order number's place.
      sign: this.sign(request.pspReference, amount),
    };
    const response = await this.postForm('/nova/api/cancel', fields, signal);
    const reader = WireReader.ofJson(NOVA_PSP_ID, response, 'cancel');
    const transaction = readNovaTransaction(reader);
    switch (transaction.resultClass) {
      case 'approved':
        return {
          kind: 'succeeded',
          refundReference: reader.string('cancel_tid'),
          amountMinor: request.amountMinor,
        };
      case 'not_found':
      case 'request_error':
      case 'server_error':
        throw novaInBandError(transaction);
      case 'declined':
      case 'pending':
      case 'cancelled':
        throw new PspProtocolError(NOVA_PSP_ID, `cancel answered ${transaction.resultCode}`);
      default: {
        const unreachable: never = transaction.resultClass;
        throw new PspProtocolError(NOVA_PSP_ID, `unmapped result class '${String(unreachable)}'`);
      }
    }
  }

  protected readWebhook(rawBody: Buffer): PspWebhookEvent {
    return readNovaWebhook(rawBody);
  }

  /**
   * The instrument: `card_token` for cards, `bank_code` (the account's token) for bank transfers.
   * nova also takes the card issuer or bank as `issuer`, which lets drills fault one issuer.
   */
  private instrumentFields(request: ChargeRequest): Record<string, string> {
    const payType = novaPayTypeOf(request.method.type);
    if (request.instrumentToken === undefined) {
      throw new PspRejectedRequestError(
        NOVA_PSP_ID,
        `a ${payType} charge needs an instrument token`,
        'not_sent',
      );
    }
    const instrument: Record<string, string> =
      payType === 'card'
        ? { pay_type: 'card', card_token: request.instrumentToken }
        : { pay_type: 'bank', bank_code: request.instrumentToken };
    return request.method.provider === undefined
      ? instrument
      : { ...instrument, issuer: request.method.provider };
  }

  private sign(orderNo: string, amount: string): string {
    return novaSign(this.settings.merchantId, orderNo, amount, this.settings.signingSecret.reveal());
  }

  private async post(
    path: string,
    fields: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<NovaTransaction> {
    const response = await this.postForm(path, fields, signal);
    return readNovaTransaction(WireReader.ofJson(NOVA_PSP_ID, response, 'transaction'));
  }

  private async postForm(
    path: string,
    fields: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<PspHttpResponse> {
    const response = await this.http.send(
      {
        method: 'POST',
        url: pspUrl(this.settings, path),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(fields).toString(),
      },
      signal,
    );
    this.rejectUnlessOk(response);
    return response;
  }
}

function novaPayTypeOf(methodType: PaymentMethodType): NovaPayType {
  switch (methodType) {
    case 'card':
      return 'card';
    case 'bank_transfer':
      return 'bank';
    case 'easy_pay':
    case 'mobile':
      throw new PspRejectedRequestError(NOVA_PSP_ID, `nova does not take ${methodType} payments`, 'not_sent');
    default: {
      const unreachable: never = methodType;
      throw new PspRejectedRequestError(NOVA_PSP_ID, `unknown method '${String(unreachable)}'`, 'not_sent');
    }
  }
}
