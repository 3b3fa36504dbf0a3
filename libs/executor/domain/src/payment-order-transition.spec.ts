import { PaymentOrderError, PaymentOrderErrorCode } from './payment-order.error';
import {
  PAYMENT_ORDER_STATUSES,
  TERMINAL_PAYMENT_ORDER_STATUSES,
  isTerminalPaymentOrderStatus,
} from './payment-order-status';
import {
  canTransitionPaymentOrder,
  PAYMENT_ORDER_EVENTS,
  transitionPaymentOrder,
  type PaymentOrderEvent,
} from './payment-order-transition';
import type { PaymentOrderStatus } from './payment-order-status';

const ALLOWED: readonly [PaymentOrderStatus, PaymentOrderEvent, PaymentOrderStatus][] = [
  ['created', 'claimed', 'executing'],
  ['created', 'failed', 'failed'],
  ['executing', 'retry_scheduled', 'created'],
  ['executing', 'outcome_unknown', 'unknown'],
  ['executing', 'succeeded', 'succeeded'],
  ['executing', 'declined', 'declined'],
  ['executing', 'failed', 'failed'],
  ['unknown', 'retry_scheduled', 'created'],
  ['unknown', 'succeeded', 'succeeded'],
  ['unknown', 'declined', 'declined'],
  ['unknown', 'failed', 'failed'],
];

describe('transitionPaymentOrder', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, event, to) => {
    expect(transitionPaymentOrder(from, event)).toBe(to);
    expect(canTransitionPaymentOrder(from, event)).toBe(true);
  });

  const forbidden = PAYMENT_ORDER_STATUSES.flatMap((from) =>
    PAYMENT_ORDER_EVENTS.filter((event) => !ALLOWED.some(([f, e]) => f === from && e === event)).map(
      (event) => [from, event] as const,
    ),
  );

  it.each(forbidden)('refuses %s --%s--> with a typed error', (from, event) => {
    expect(canTransitionPaymentOrder(from, event)).toBe(false);
    let error: unknown;
    try {
      transitionPaymentOrder(from, event);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PaymentOrderError);
    expect((error as PaymentOrderError).code).toBe(PaymentOrderErrorCode.IllegalTransition);
  });

  it('never moves a terminal order, not even to the same outcome', () => {
    for (const status of TERMINAL_PAYMENT_ORDER_STATUSES) {
      expect(isTerminalPaymentOrderStatus(status)).toBe(true);
      for (const event of PAYMENT_ORDER_EVENTS) {
        expect(canTransitionPaymentOrder(status, event)).toBe(false);
      }
    }
  });

  it('cannot charge an order whose outcome is unknown without proof it holds no charge', () => {
    expect(canTransitionPaymentOrder('unknown', 'claimed')).toBe(false);
    expect(isTerminalPaymentOrderStatus('unknown')).toBe(false);
  });
});
