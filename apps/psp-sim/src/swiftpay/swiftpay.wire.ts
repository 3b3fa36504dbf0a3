import {
  declineMessageOf,
  type Charge,
  type ChargeStatus,
  type DeclineCode,
  type SimulatorEvent,
} from '@keel/psp-sim-domain';
import { jsonWire, wireAmount, type WireResponse } from '../http/wire-response';

export type SwiftpayStatus = 'READY' | 'APPROVED' | 'FAILED' | 'PENDING' | 'CANCELLED';

/** swiftpay's failure codes: its own upper-case words (API.md leaves them to the PSP). */
export const SWIFTPAY_FAIL_CODES: Readonly<Record<DeclineCode, string>> = {
  insufficient_funds: 'INSUFFICIENT_FUNDS',
  invalid_card: 'INVALID_CARD',
  expired_card: 'EXPIRED_CARD',
  do_not_honor: 'DO_NOT_HONOR',
  amount_limit_exceeded: 'AMOUNT_LIMIT_EXCEEDED',
};

export enum SwiftpayErrorCode {
  Unauthorized = 'UNAUTHORIZED',
  InvalidRequest = 'INVALID_REQUEST',
  NotFound = 'NOT_FOUND',
  DuplicateOrder = 'DUPLICATE_ORDER',
  NotCancellable = 'NOT_CANCELLABLE',
  CancelAmountExceeded = 'CANCEL_AMOUNT_EXCEEDED',
  SettlementNotReady = 'SETTLEMENT_NOT_READY',
}

const ERROR_STATUSES: Readonly<Record<SwiftpayErrorCode, number>> = {
  [SwiftpayErrorCode.Unauthorized]: 401,
  [SwiftpayErrorCode.InvalidRequest]: 400,
  [SwiftpayErrorCode.NotFound]: 404,
  [SwiftpayErrorCode.DuplicateOrder]: 409,
  [SwiftpayErrorCode.NotCancellable]: 400,
  [SwiftpayErrorCode.CancelAmountExceeded]: 400,
  [SwiftpayErrorCode.SettlementNotReady]: 400,
};

export interface SwiftpayOrderWire {
  readonly tid: string;
  readonly partner_order_id: string;
  readonly status: SwiftpayStatus;
  readonly amount: number;
  readonly currency: string;
  readonly fail_code?: string;
  readonly fail_reason?: string;
  /** Cancelled so far, when anything was. */
  readonly cancelled_amount?: number;
}

export function swiftpayStatusOf(status: ChargeStatus): SwiftpayStatus {
  switch (status) {
    case 'ready':
      return 'READY';
    case 'pending':
      return 'PENDING';
    case 'approved':
      return 'APPROVED';
    case 'declined':
      return 'FAILED';
    case 'cancelled':
      return 'CANCELLED';
  }
}

export function swiftpayOrderWire(charge: Charge): SwiftpayOrderWire {
  const failure =
    charge.declineCode === undefined
      ? {}
      : {
          fail_code: SWIFTPAY_FAIL_CODES[charge.declineCode],
          fail_reason: declineMessageOf(charge.declineCode, charge.declineMessage),
        };
  return {
    tid: charge.id,
    partner_order_id: charge.idempotencyKey,
    status: swiftpayStatusOf(charge.status),
    amount: wireAmount(charge.amountMinor),
    currency: charge.currency,
    ...failure,
    ...(charge.refundedAmountMinor > 0n ? { cancelled_amount: wireAmount(charge.refundedAmountMinor) } : {}),
  };
}

export function swiftpayError(code: SwiftpayErrorCode, message: string): WireResponse {
  return jsonWire(ERROR_STATUSES[code], { error_code: code, error_message: message });
}

const EVENTS: Readonly<Record<SimulatorEvent['kind'], string>> = {
  approved: 'payment.approved',
  declined: 'payment.failed',
  refunded: 'payment.cancelled',
};

/** swiftpay's webhook body: `{ event_id, event, order }` as JSON, plus `cancel_amount` for a cancel. */
export function swiftpayWebhookBody(event: SimulatorEvent, eventId: string): string {
  const cancel = event.kind === 'refunded' ? { cancel_amount: wireAmount(event.refund.amountMinor) } : {};
  return JSON.stringify({
    event_id: eventId,
    event: EVENTS[event.kind],
    order: swiftpayOrderWire(event.charge),
    ...cancel,
  });
}
