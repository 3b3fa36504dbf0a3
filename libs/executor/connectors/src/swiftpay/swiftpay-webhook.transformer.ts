import { WireReader } from '../http/wire-reader';
import { PspProtocolError } from '../psp.error';
import type { PspWebhookEvent } from '../psp-connector';
import {
  readSwiftpayOrder,
  SWIFTPAY_PSP_ID,
  swiftpayDeclinedOutcome,
  swiftpaySucceededOutcome,
} from './swiftpay.transformer';

export const SWIFTPAY_SIGNATURE_HEADER = 'X-Swift-Signature';

export const SWIFTPAY_WEBHOOK_EVENTS = ['payment.approved', 'payment.failed', 'payment.cancelled'] as const;
export type SwiftpayWebhookEvent = (typeof SWIFTPAY_WEBHOOK_EVENTS)[number];

function isSwiftpayWebhookEvent(value: string): value is SwiftpayWebhookEvent {
  return (SWIFTPAY_WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/** `{ event_id, event, order: { … } }`; the order's partner_order_id is our idempotency key. */
export function readSwiftpayWebhook(body: unknown): PspWebhookEvent {
  const reader = new WireReader(SWIFTPAY_PSP_ID, body, 'webhook');
  const event = reader.string('event');
  if (!isSwiftpayWebhookEvent(event)) {
    throw new PspProtocolError(SWIFTPAY_PSP_ID, `unknown webhook event '${event}'`);
  }
  const orderReader = reader.object('order');
  const order = readSwiftpayOrder(orderReader);
  const base = {
    pspId: SWIFTPAY_PSP_ID,
    eventId: reader.string('event_id'),
    idempotencyKey: orderReader.string('partner_order_id'),
    pspReference: order.tid,
  };
  switch (event) {
    case 'payment.approved':
      return { ...base, change: { kind: 'charge', outcome: swiftpaySucceededOutcome(order) } };
    case 'payment.failed':
      return { ...base, change: { kind: 'charge', outcome: swiftpayDeclinedOutcome(order) } };
    case 'payment.cancelled':
      return { ...base, change: { kind: 'refunded' } };
    default: {
      const unreachable: never = event;
      throw new PspProtocolError(SWIFTPAY_PSP_ID, `unmapped webhook event '${String(unreachable)}'`);
    }
  }
}
