import { capturedAmountOf } from '../captured-amount';
import type { KeelDeclineCode } from '../decline-code';
import type { WireReader } from '../http/wire-reader';
import { amountAsJsonNumber } from '../psp-settings';
import { PspProtocolError, PspRejectedRequestError } from '../psp.error';
import type { ChargeRequest, InquiryOutcome, PspOutcome } from '../psp-connector';

export const SWIFTPAY_PSP_ID = 'swiftpay';

/** Every status a swiftpay order can have; anything else is not understood. */
export const SWIFTPAY_STATUSES = ['READY', 'APPROVED', 'FAILED', 'PENDING', 'CANCELLED'] as const;
export type SwiftpayStatus = (typeof SWIFTPAY_STATUSES)[number];

export interface SwiftpayOrder {
  readonly tid: string;
  readonly status: SwiftpayStatus;
  readonly partnerOrderId?: string;
  readonly amountMinor?: bigint;
  readonly currency?: string;
  readonly failCode?: string;
  readonly failReason?: string;
}

const SWIFTPAY_DECLINE_CODES: Readonly<Record<string, KeelDeclineCode>> = {
  insufficient_funds: 'insufficient_funds',
  invalid_card: 'invalid_card',
  expired_card: 'expired_card',
  do_not_honor: 'do_not_honor',
  amount_limit_exceeded: 'amount_limit_exceeded',
};

function isSwiftpayStatus(value: string): value is SwiftpayStatus {
  return (SWIFTPAY_STATUSES as readonly string[]).includes(value);
}

export function readSwiftpayOrder(reader: WireReader): SwiftpayOrder {
  const status = reader.string('status');
  if (!isSwiftpayStatus(status)) {
    throw new PspProtocolError(SWIFTPAY_PSP_ID, `unknown status '${status}'`);
  }
  return {
    tid: reader.string('tid'),
    status,
    partnerOrderId: reader.optionalString('partner_order_id'),
    amountMinor: reader.optionalAmountMinor('amount'),
    currency: reader.optionalString('currency'),
    failCode: reader.optionalString('fail_code'),
    failReason: reader.optionalString('fail_reason'),
  };
}

/** swiftpay's failure codes in Keel's words (any case); a code Keel does not map is `declined`. */
export function swiftpayDeclineCodeOf(failCode: string | undefined): KeelDeclineCode {
  return (failCode === undefined ? undefined : SWIFTPAY_DECLINE_CODES[failCode.toLowerCase()]) ?? 'declined';
}

/** A failed order (or a `payment.failed` webhook's) as Keel's decline. */
export function swiftpayDeclinedOutcome(order: SwiftpayOrder): PspOutcome {
  return {
    kind: 'declined',
    code: swiftpayDeclineCodeOf(order.failCode),
    message: order.failReason ?? 'Declined',
    pspCode: order.failCode ?? 'FAILED',
    pspReference: order.tid,
  };
}

/** An approved order: its tid and the amount (`amount`, `currency`) swiftpay says it captured. */
export function swiftpaySucceededOutcome(order: SwiftpayOrder): PspOutcome {
  return {
    kind: 'succeeded',
    pspReference: order.tid,
    captured: capturedAmountOf(SWIFTPAY_PSP_ID, order.tid, order.amountMinor, order.currency),
  };
}

/**
 * An order in Keel's words. READY means prepared and never approved: no money moved, so it reads
 * as not_found, and charging again with the same key reuses the prepared order.
 */
export function swiftpayOutcomeOf(order: SwiftpayOrder): InquiryOutcome {
  switch (order.status) {
    case 'READY':
      return { kind: 'not_found' };
    case 'APPROVED':
      return swiftpaySucceededOutcome(order);
    case 'FAILED':
      return swiftpayDeclinedOutcome(order);
    case 'PENDING':
      return { kind: 'pending', pspReference: order.tid };
    case 'CANCELLED':
      return { kind: 'cancelled', pspReference: order.tid };
    default: {
      const unreachable: never = order.status;
      throw new PspProtocolError(SWIFTPAY_PSP_ID, `unmapped status '${String(unreachable)}'`);
    }
  }
}

export function swiftpayReadyBody(request: ChargeRequest): string {
  if (request.instrumentToken === undefined || request.method.provider === undefined) {
    throw new PspRejectedRequestError(
      SWIFTPAY_PSP_ID,
      'an easy-pay charge needs an account token and a provider',
      'not_sent',
    );
  }
  return JSON.stringify({
    partner_order_id: request.idempotencyKey,
    amount: amountAsJsonNumber(SWIFTPAY_PSP_ID, request.amountMinor),
    currency: request.currency,
    account_token: request.instrumentToken,
    provider: request.method.provider,
  });
}

/** An order for another key, amount or currency than asked is never taken as ours. */
export function assertOrderMatches(order: SwiftpayOrder, request: ChargeRequest): void {
  const differs =
    (order.partnerOrderId !== undefined && order.partnerOrderId !== request.idempotencyKey) ||
    (order.amountMinor !== undefined && order.amountMinor !== request.amountMinor) ||
    (order.currency !== undefined && order.currency !== request.currency);
  if (differs) {
    throw new PspProtocolError(SWIFTPAY_PSP_ID, `order ${order.tid} is not the order asked for`);
  }
}
