import {
  calendarDateOfCompact,
  type ChargeRequest,
  type FaultTarget,
  type PaymentMethod,
  type SettlementFileOf,
  type Simulator,
} from '@keel/psp-sim-domain';
import { asCurrency, asDigitsAmount, asKey, asText, fieldsOf } from '../http/request-fields';
import { jsonWire, type Reply, type WireResponse } from '../http/wire-response';
import { isNovaSignValid, type NovaCredentials } from './nova-sign';
import { novaCancelWire, novaError, NovaErrorCode, novaFileError, novaTransactionWire } from './nova.wire';

/** Inquiries and settlement downloads sign this amount (API.md). */
const INQUIRY_SIGNED_AMT = '0';
const ISSUER_MAX_LENGTH = 64;

/** nova's form-encoded API (API.md), translated to and from the shared charge store. */
export class NovaApi {
  constructor(
    private readonly simulator: Simulator,
    private readonly credentials: NovaCredentials,
    private readonly settlementFileOf: SettlementFileOf,
  ) {}

  payment(body: unknown): WireResponse {
    const fields = fieldsOf(body);
    if (
      !isNovaSignValid(
        this.credentials,
        { mid: fields['mid'], sign: fields['sign'] },
        fields['order_no'],
        fields['amt'],
      )
    ) {
      return unauthorized();
    }
    const parsed = parsePayment(fields);
    if (typeof parsed === 'string') return novaError(NovaErrorCode.BadRequest, parsed);
    const result = this.simulator.submit(parsed);
    switch (result.kind) {
      case 'created':
      case 'replayed':
        return jsonWire(200, novaTransactionWire(result.charge));
      case 'conflict':
        return novaError(NovaErrorCode.Conflict, 'Order number already used with another amount', {
          order_no: parsed.idempotencyKey,
        });
    }
  }

  inquiry(body: unknown): WireResponse {
    const fields = fieldsOf(body);
    const { order_no: orderNo } = fields;
    if (
      !isNovaSignValid(
        this.credentials,
        { mid: fields['mid'], sign: fields['sign'] },
        orderNo,
        INQUIRY_SIGNED_AMT,
      )
    ) {
      return unauthorized();
    }
    const key = asKey(orderNo);
    if (key === undefined) return novaError(NovaErrorCode.BadRequest, 'order_no is required');
    const charge = this.simulator.store.findByKey('nova', key);
    if (charge === undefined)
      return novaError(NovaErrorCode.NotFound, 'Transaction not found', { order_no: key });
    return jsonWire(200, novaTransactionWire(charge));
  }

  cancel(body: unknown): WireResponse {
    const fields = fieldsOf(body);
    const { tid, amt } = fields;
    if (!isNovaSignValid(this.credentials, { mid: fields['mid'], sign: fields['sign'] }, tid, amt)) {
      return unauthorized();
    }
    const chargeId = asKey(tid);
    const amountMinor = asDigitsAmount(amt);
    if (chargeId === undefined || amountMinor === undefined) {
      return novaError(NovaErrorCode.BadRequest, 'tid and amt (a positive integer) are required');
    }
    const result = this.simulator.refund('nova', chargeId, amountMinor);
    switch (result.kind) {
      case 'refunded':
      case 'replayed':
        return novaCancelWire(result.charge, result.refund);
      case 'not_found':
        return novaError(NovaErrorCode.NotFound, 'Transaction not found', { tid: chargeId });
      case 'invalid_amount':
        return novaError(NovaErrorCode.BadRequest, 'amt must be a positive integer');
      case 'not_refundable':
        return novaError(NovaErrorCode.NotCancellable, 'Only approved transactions can be cancelled', {
          tid: chargeId,
        });
      case 'exceeds_remaining':
        return novaError(NovaErrorCode.NotCancellable, 'Cancel amount exceeds the remaining amount', {
          tid: chargeId,
        });
    }
  }

  /**
   * The settlement file of a Berlin day, `settle_date=YYYYMMDD`, signed like an inquiry with the
   * date for the order number. A file has no result code to carry, so errors here are answered
   * with the HTTP status of their code (E400 → 400), not 200.
   */
  settlement(body: unknown): Reply {
    const fields = fieldsOf(body);
    const { settle_date: settleDate } = fields;
    if (
      !isNovaSignValid(
        this.credentials,
        { mid: fields['mid'], sign: fields['sign'] },
        settleDate,
        INQUIRY_SIGNED_AMT,
      )
    ) {
      return novaFileError(NovaErrorCode.Unauthorized, 'Invalid merchant id or signature');
    }
    const date = calendarDateOfCompact(settleDate);
    if (date === undefined) return novaFileError(NovaErrorCode.BadRequest, 'settle_date must be YYYYMMDD');
    return (
      this.settlementFileOf('nova', date) ??
      novaFileError(NovaErrorCode.BadRequest, `No settlement file for ${date} yet (Europe/Berlin)`)
    );
  }

  settlementTarget(): FaultTarget {
    return { psp: 'nova', method: undefined, issuer: undefined };
  }

  /**
   * A new payment is targeted by its pay type and by the optional `issuer` field, which nova
   * accepts beside the contract's fields so that drills can fault one issuer.
   */
  paymentTarget(body: unknown): FaultTarget {
    const fields = fieldsOf(body);
    return {
      psp: 'nova',
      method: methodOf(fields['pay_type']),
      issuer: asText(fields['issuer'], ISSUER_MAX_LENGTH),
    };
  }

  orderTarget(body: unknown): FaultTarget {
    const key = asKey(fieldsOf(body)['order_no']);
    const charge = key === undefined ? undefined : this.simulator.store.findByKey('nova', key);
    return { psp: 'nova', method: charge?.method, issuer: charge?.issuer };
  }

  tidTarget(body: unknown): FaultTarget {
    const chargeId = asKey(fieldsOf(body)['tid']);
    const charge = chargeId === undefined ? undefined : this.simulator.store.findById('nova', chargeId);
    return { psp: 'nova', method: charge?.method, issuer: charge?.issuer };
  }
}

function methodOf(payType: unknown): PaymentMethod | undefined {
  return payType === 'card' || payType === 'bank' ? payType : undefined;
}

/**
 * The payment to submit, or what is wrong. The test instrument is `card_token` for cards and
 * `bank_code` for bank transfers; a repeat of the order number must carry the same amount.
 */
function parsePayment(fields: Readonly<Record<string, unknown>>): ChargeRequest | string {
  const orderNo = asKey(fields['order_no']);
  if (orderNo === undefined) return 'order_no is required';
  const amountMinor = asDigitsAmount(fields['amt']);
  if (amountMinor === undefined) return 'amt must be a positive integer of at most 15 digits';
  const currency = asCurrency(fields['cur']);
  if (currency === undefined) return 'cur must be an upper-case ISO 4217 code';
  const method = methodOf(fields['pay_type']);
  if (method === undefined) return 'pay_type must be card or bank';
  const instrumentField = method === 'card' ? 'card_token' : 'bank_code';
  const instrumentToken = asText(fields[instrumentField]);
  if (instrumentToken === undefined) return `${instrumentField} is required for pay_type ${method}`;
  const issuer = fields['issuer'] === undefined ? undefined : asText(fields['issuer'], ISSUER_MAX_LENGTH);
  if (fields['issuer'] !== undefined && issuer === undefined) return 'issuer must be short text';
  return {
    psp: 'nova',
    idempotencyKey: orderNo,
    amountMinor,
    currency,
    method,
    issuer,
    instrumentToken,
    reference: undefined,
    fingerprint: JSON.stringify([amountMinor.toString(), currency]),
    twoStep: false,
  };
}

function unauthorized(): WireResponse {
  return novaError(NovaErrorCode.Unauthorized, 'Invalid merchant id or signature');
}
