import { PAYMENT_EVENT_TYPE_NAMES, type PaymentEvent, type PaymentEventType } from '@keel/payment-domain';

/** A domain event as the event store keeps it: the type in its column, the rest as JSON. */
export interface StoredPaymentEvent {
  readonly type: PaymentEventType;
  readonly data: Record<string, unknown>;
}

const DIGITS = /^[0-9]+$/;

export class StoredEventError extends Error {
  override readonly name = 'StoredEventError';
}

/** bigint amounts are written as decimal strings; nothing else in a payment event is a bigint. */
export function encodeEvent(event: PaymentEvent): StoredPaymentEvent {
  const { type, ...rest } = event;
  const data = JSON.parse(
    JSON.stringify(rest, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)),
  ) as Record<string, unknown>;
  return { type, data };
}

function isEventType(type: string): type is PaymentEventType {
  return (PAYMENT_EVENT_TYPE_NAMES as readonly string[]).includes(type);
}

function decimalOf(value: unknown, field: string): bigint {
  if (typeof value !== 'string' || !DIGITS.test(value)) {
    throw new StoredEventError(`PaymentRequested order without a decimal ${field}`);
  }
  return BigInt(value);
}

/** Orders of payments accepted before fees were decided here have no platformFeeMinor. */
function decodeOrders(orders: unknown): unknown {
  if (!Array.isArray(orders)) throw new StoredEventError('PaymentRequested without orders');
  return orders.map((line: unknown) => {
    const { amountMinor, platformFeeMinor } = (line ?? {}) as Record<string, unknown>;
    return {
      ...(line as object),
      amountMinor: decimalOf(amountMinor, 'amountMinor'),
      ...(platformFeeMinor === undefined
        ? {}
        : { platformFeeMinor: decimalOf(platformFeeMinor, 'platformFeeMinor') }),
    };
  });
}

/**
 * Reads back what encodeEvent wrote. The store holds only our own events, so the shape is trusted
 * here; evolve() checks every invariant again when the event is folded.
 */
export function decodeEvent(type: string, data: Record<string, unknown>): PaymentEvent {
  if (!isEventType(type)) throw new StoredEventError(`unknown stored event type '${type}'`);
  const fields = type === 'PaymentRequested' ? { ...data, orders: decodeOrders(data['orders']) } : data;
  return { ...fields, type } as PaymentEvent;
}
