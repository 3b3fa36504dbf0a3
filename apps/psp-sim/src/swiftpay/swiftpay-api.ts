import {
  calendarDateOfCompact,
  SWIFTPAY_PARTNER_ORDER_ID_MAX_LENGTH,
  type ChargeRequest,
  type FaultTarget,
  type SettlementFileOf,
  type Simulator,
} from '@keel/psp-sim-domain';
import { asCurrency, asJsonAmount, asKey, asText, credentialMatches, fieldsOf } from '../http/request-fields';
import { jsonWire, wireAmount, type Reply, type WireResponse } from '../http/wire-response';
import { swiftpayError, SwiftpayErrorCode, swiftpayOrderWire, swiftpayStatusOf } from './swiftpay.wire';

const PROVIDER_MAX_LENGTH = 64;

/** swiftpay's two-step easy-pay API (API.md), translated to and from the shared charge store. */
export class SwiftpayApi {
  constructor(
    private readonly simulator: Simulator,
    private readonly apiKey: string,
    private readonly settlementFileOf: SettlementFileOf,
  ) {}

  ready(swiftKey: string | undefined, body: unknown): WireResponse {
    if (!credentialMatches(swiftKey, this.apiKey)) return unauthorized();
    const parsed = parseReady(body);
    if (typeof parsed === 'string') return swiftpayError(SwiftpayErrorCode.InvalidRequest, parsed);
    const result = this.simulator.submit(parsed);
    switch (result.kind) {
      case 'created':
      case 'replayed':
        return jsonWire(200, { tid: result.charge.id, status: swiftpayStatusOf(result.charge.status) });
      case 'conflict':
        return swiftpayError(
          SwiftpayErrorCode.DuplicateOrder,
          'partner_order_id already used with another amount',
        );
    }
  }

  approve(swiftKey: string | undefined, body: unknown): WireResponse {
    if (!credentialMatches(swiftKey, this.apiKey)) return unauthorized();
    const tid = asKey(fieldsOf(body)['tid']);
    if (tid === undefined) return swiftpayError(SwiftpayErrorCode.InvalidRequest, 'tid is required');
    const result = this.simulator.authorize('swiftpay', tid);
    return result === undefined ? noSuchOrder() : jsonWire(200, swiftpayOrderWire(result.charge));
  }

  order(swiftKey: string | undefined, partnerOrderId: string): WireResponse {
    if (!credentialMatches(swiftKey, this.apiKey)) return unauthorized();
    const key = asKey(partnerOrderId);
    const charge = key === undefined ? undefined : this.simulator.store.findByKey('swiftpay', key);
    return charge === undefined ? noSuchOrder() : jsonWire(200, swiftpayOrderWire(charge));
  }

  cancel(swiftKey: string | undefined, body: unknown): WireResponse {
    if (!credentialMatches(swiftKey, this.apiKey)) return unauthorized();
    const fields = fieldsOf(body);
    const tid = asKey(fields['tid']);
    const amountMinor = asJsonAmount(fields['amount']);
    if (tid === undefined || amountMinor === undefined) {
      return swiftpayError(
        SwiftpayErrorCode.InvalidRequest,
        'tid and amount (a positive integer) are required',
      );
    }
    const result = this.simulator.refund('swiftpay', tid, amountMinor);
    switch (result.kind) {
      case 'refunded':
      case 'replayed':
        return jsonWire(200, {
          tid,
          status: 'CANCELLED',
          cancel_amount: wireAmount(result.refund.amountMinor),
        });
      case 'not_found':
        return noSuchOrder();
      case 'invalid_amount':
        return swiftpayError(SwiftpayErrorCode.InvalidRequest, 'amount must be a positive integer');
      case 'not_refundable':
        return swiftpayError(SwiftpayErrorCode.NotCancellable, 'Only approved payments can be cancelled');
      case 'exceeds_remaining':
        return swiftpayError(
          SwiftpayErrorCode.CancelAmountExceeded,
          'Cancel amount exceeds the remaining amount',
        );
    }
  }

  /** The settlement file of a Seoul day, `YYYYMMDD`; today's is the day so far. */
  settlement(swiftKey: string | undefined, settleDate: string): Reply {
    if (!credentialMatches(swiftKey, this.apiKey)) return unauthorized();
    const date = calendarDateOfCompact(settleDate);
    if (date === undefined) {
      return swiftpayError(SwiftpayErrorCode.InvalidRequest, 'settlement date must be YYYYMMDD');
    }
    return (
      this.settlementFileOf('swiftpay', date) ??
      swiftpayError(
        SwiftpayErrorCode.SettlementNotReady,
        `No settlement file for ${settleDate} yet (Asia/Seoul)`,
      )
    );
  }

  settlementTarget(): FaultTarget {
    return { psp: 'swiftpay', method: 'easy_pay', issuer: undefined };
  }

  /** swiftpay is an easy-pay PSP; its issuer is the wallet provider (kakaopay, ...). */
  readyTarget(body: unknown): FaultTarget {
    return {
      psp: 'swiftpay',
      method: 'easy_pay',
      issuer: asText(fieldsOf(body)['provider'], PROVIDER_MAX_LENGTH),
    };
  }

  tidTarget(body: unknown): FaultTarget {
    const tid = asKey(fieldsOf(body)['tid']);
    const charge = tid === undefined ? undefined : this.simulator.store.findById('swiftpay', tid);
    return { psp: 'swiftpay', method: 'easy_pay', issuer: charge?.issuer };
  }

  orderTarget(partnerOrderId: string): FaultTarget {
    const key = asKey(partnerOrderId);
    const charge = key === undefined ? undefined : this.simulator.store.findByKey('swiftpay', key);
    return { psp: 'swiftpay', method: 'easy_pay', issuer: charge?.issuer };
  }
}

/** The order to make ready, or what is wrong; a repeat of the order id must carry the same amount. */
function parseReady(body: unknown): ChargeRequest | string {
  const fields = fieldsOf(body);
  const partnerOrderId = asKey(fields['partner_order_id']);
  // Its settlement files hold an order id in a field of this width.
  if (partnerOrderId === undefined || partnerOrderId.length > SWIFTPAY_PARTNER_ORDER_ID_MAX_LENGTH) {
    return `partner_order_id is required, at most ${SWIFTPAY_PARTNER_ORDER_ID_MAX_LENGTH} characters`;
  }
  const amountMinor = asJsonAmount(fields['amount']);
  if (amountMinor === undefined) return 'amount must be a positive integer in minor units';
  const currency = asCurrency(fields['currency']);
  if (currency === undefined) return 'currency must be an upper-case ISO 4217 code';
  const accountToken = asText(fields['account_token']);
  if (accountToken === undefined) return 'account_token is required';
  const provider = asText(fields['provider'], PROVIDER_MAX_LENGTH);
  if (provider === undefined) return 'provider is required';
  return {
    psp: 'swiftpay',
    idempotencyKey: partnerOrderId,
    amountMinor,
    currency,
    method: 'easy_pay',
    issuer: provider,
    instrumentToken: accountToken,
    reference: undefined,
    fingerprint: JSON.stringify([amountMinor.toString(), currency]),
    twoStep: true,
  };
}

function unauthorized(): WireResponse {
  return swiftpayError(SwiftpayErrorCode.Unauthorized, 'Invalid X-Swift-Key');
}

function noSuchOrder(): WireResponse {
  return swiftpayError(SwiftpayErrorCode.NotFound, 'Order not found');
}
