import {
  declineMessageOf,
  type Charge,
  type DeclineCode,
  type Refund,
  type SimulatorEvent,
} from '@keel/psp-sim-domain';
import { jsonWire, unixSeconds, wireAmount, type WireResponse } from '../http/wire-response';

/** nova's decline codes (API.md). */
export const NOVA_DECLINE_CODES: Readonly<Record<DeclineCode, string>> = {
  insufficient_funds: 'D051',
  invalid_card: 'D014',
  expired_card: 'D054',
  do_not_honor: 'D005',
  amount_limit_exceeded: 'D061',
};

export const NOVA_APPROVED = '0000';
export const NOVA_PENDING = 'P000';
export const NOVA_CANCELLED = 'C000';

/** Request errors, answered with HTTP 200 like every nova result. */
export enum NovaErrorCode {
  BadRequest = 'E400',
  Unauthorized = 'E401',
  NotFound = 'E404',
  Conflict = 'E409',
  NotCancellable = 'E422',
}

export interface NovaTransactionWire {
  readonly result_code: string;
  readonly result_msg: string;
  readonly tid: string;
  readonly order_no: string;
  readonly amt: number;
  readonly cur: string;
  /** Cancelled so far, when anything was. */
  readonly cancelled_amt?: number;
}

function resultOf(charge: Charge): { code: string; message: string } {
  switch (charge.status) {
    case 'approved':
      return { code: NOVA_APPROVED, message: 'Approved' };
    case 'pending':
      return { code: NOVA_PENDING, message: 'Pending' };
    case 'cancelled':
      return { code: NOVA_CANCELLED, message: 'Cancelled' };
    case 'declined': {
      const { declineCode } = charge;
      if (declineCode === undefined) throw new Error(`declined charge ${charge.id} has no decline code`);
      return {
        code: NOVA_DECLINE_CODES[declineCode],
        message: declineMessageOf(declineCode, charge.declineMessage),
      };
    }
    case 'ready':
      throw new Error('nova charges are never ready: they have no two-step flow');
  }
}

export function novaTransactionWire(charge: Charge): NovaTransactionWire {
  const result = resultOf(charge);
  return {
    result_code: result.code,
    result_msg: result.message,
    tid: charge.id,
    order_no: charge.idempotencyKey,
    amt: wireAmount(charge.amountMinor),
    cur: charge.currency,
    ...(charge.refundedAmountMinor > 0n ? { cancelled_amt: wireAmount(charge.refundedAmountMinor) } : {}),
  };
}

export function novaCancelWire(charge: Charge, refund: Refund): WireResponse {
  return jsonWire(200, {
    result_code: NOVA_APPROVED,
    result_msg: 'Cancelled',
    cancel_tid: refund.id,
    tid: charge.id,
    cancel_amt: wireAmount(refund.amountMinor),
  });
}

export function novaError(
  code: NovaErrorCode,
  message: string,
  extra: Record<string, string> = {},
): WireResponse {
  return jsonWire(200, { result_code: code, result_msg: message, ...extra });
}

const FILE_ERROR_STATUSES: Readonly<Record<NovaErrorCode, number>> = {
  [NovaErrorCode.BadRequest]: 400,
  [NovaErrorCode.Unauthorized]: 401,
  [NovaErrorCode.NotFound]: 404,
  [NovaErrorCode.Conflict]: 409,
  [NovaErrorCode.NotCancellable]: 422,
};

/** An error of a file download: nova's body, with the HTTP status its code names. */
export function novaFileError(code: NovaErrorCode, message: string): WireResponse {
  return jsonWire(FILE_ERROR_STATUSES[code], { result_code: code, result_msg: message });
}

const EVENTS: Readonly<Record<SimulatorEvent['kind'], string>> = {
  approved: 'approved',
  declined: 'declined',
  refunded: 'cancelled',
};

/**
 * nova's webhook body, form-encoded: the transaction's fields, `event` and `notified_at`, and for a
 * cancel the cancel's own `cancel_tid` and `cancel_amt`.
 */
export function novaWebhookBody(event: SimulatorEvent, nowMs: number): string {
  const fields: Record<string, string> = Object.fromEntries(
    Object.entries(novaTransactionWire(event.charge)).map(([name, value]) => [name, String(value)]),
  );
  if (event.kind === 'refunded') {
    fields['cancel_tid'] = event.refund.id;
    fields['cancel_amt'] = event.refund.amountMinor.toString();
  }
  return new URLSearchParams({
    ...fields,
    event: EVENTS[event.kind],
    notified_at: String(unixSeconds(nowMs)),
  }).toString();
}
