import { PaymentError, PaymentErrorCode } from './payment.error';
import type { Failure } from './payment.event';
import type { Buyer, PaymentMethod } from './payment-method';
import type { PaymentOrderStatus, PaymentStatus } from './payment-status';
import type { RiskReason } from './risk/risk-reason';

/** One status change of the payment (no order id) or of one of its orders. */
export interface StatusChange {
  /** Version of the event that caused it. */
  readonly version: number;
  /** Position among the changes of that event. */
  readonly ordinal: number;
  readonly paymentOrderId?: string;
  readonly status: PaymentStatus | PaymentOrderStatus;
  readonly reasonCode?: string;
  readonly occurredAt: string;
}

export interface OrderCharge {
  readonly pspId: string;
  readonly pspReference: string;
}

export interface PaymentOrderState {
  readonly id: string;
  readonly sellerId: string;
  readonly amountMinor: bigint;
  /** The platform fee decided at acceptance; absent for payments accepted before fees were decided here. */
  readonly platformFeeMinor?: bigint;
  readonly status: PaymentOrderStatus;
  readonly charge?: OrderCharge;
  readonly failure?: Failure;
  /** Confirmations may arrive before the outcome they confirm; they are kept whatever the status. */
  readonly walletCreditedAt?: string;
  readonly ledgerTransactionId?: string;
  readonly ledgerRecordedAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface PaymentState {
  readonly id: string;
  readonly merchantId: string;
  readonly checkoutId: string;
  readonly buyer: Buyer;
  readonly paymentMethod: PaymentMethod;
  readonly currency: string;
  readonly amountMinor: bigint;
  readonly status: PaymentStatus;
  readonly failure?: Failure;
  readonly riskRejection?: { readonly reason: RiskReason; readonly detail: string };
  readonly orders: readonly PaymentOrderState[];
  readonly history: readonly StatusChange[];
  /** Number of events folded; the next event is stored with version + 1. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function isConfirmed(order: PaymentOrderState): boolean {
  return order.walletCreditedAt !== undefined && order.ledgerTransactionId !== undefined;
}

export function findOrder(state: PaymentState, paymentOrderId: string): PaymentOrderState | undefined {
  return state.orders.find((order) => order.id === paymentOrderId);
}

/** The payment's order with this id; a PaymentOrderNotFound error when it has none. */
export function orderOf(state: PaymentState, paymentOrderId: string): PaymentOrderState {
  const order = findOrder(state, paymentOrderId);
  if (order === undefined) {
    throw new PaymentError(
      PaymentErrorCode.PaymentOrderNotFound,
      `payment ${state.id} has no order ${paymentOrderId}`,
    );
  }
  return order;
}
