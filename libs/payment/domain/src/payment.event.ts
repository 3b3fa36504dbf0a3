import type { Buyer, PaymentMethod } from './payment-method';
import type { RiskReason } from './risk/risk-reason';

/** A business reason with a stable machine code. */
export interface Failure {
  readonly code: string;
  readonly message: string;
}

export interface PaymentOrderLine {
  readonly paymentOrderId: string;
  readonly sellerId: string;
  readonly amountMinor: bigint;
  /**
   * The platform's fee on the order, decided once when the payment is accepted (0 ≤ fee < amount,
   * in the payment's currency); wallet and ledger apply it as the executor's `succeeded.v2`
   * carries it. Absent from payments accepted before the payment service decided fees.
   */
  readonly platformFeeMinor?: bigint;
}

interface EventBase<T extends string> {
  readonly type: T;
  /** When the payment service recorded the fact (RFC 3339, UTC). */
  readonly occurredAt: string;
}

export interface PaymentRequested extends EventBase<'PaymentRequested'> {
  readonly paymentId: string;
  readonly merchantId: string;
  readonly checkoutId: string;
  readonly buyer: Buyer;
  readonly paymentMethod: PaymentMethod;
  readonly currency: string;
  readonly orders: readonly PaymentOrderLine[];
}

export interface PaymentRiskRejected extends EventBase<'PaymentRiskRejected'> {
  readonly reason: RiskReason;
  readonly detail: string;
}

export interface OrderExecutionRequested extends EventBase<'OrderExecutionRequested'> {
  readonly paymentOrderId: string;
}

/** The executor sent a charge and does not know whether it happened; it resolves this itself. */
export interface OrderOutcomeUnknown extends EventBase<'OrderOutcomeUnknown'> {
  readonly paymentOrderId: string;
}

export interface OrderSucceeded extends EventBase<'OrderSucceeded'> {
  readonly paymentOrderId: string;
  readonly pspId: string;
  readonly pspReference: string;
}

export interface OrderDeclined extends EventBase<'OrderDeclined'> {
  readonly paymentOrderId: string;
  readonly code: string;
  readonly message: string;
}

export interface OrderFailed extends EventBase<'OrderFailed'> {
  readonly paymentOrderId: string;
  readonly code: string;
  readonly message: string;
}

export interface OrderCreditedToWallet extends EventBase<'OrderCreditedToWallet'> {
  readonly paymentOrderId: string;
}

export interface OrderRecordedInLedger extends EventBase<'OrderRecordedInLedger'> {
  readonly paymentOrderId: string;
  readonly ledgerTransactionId: string;
}

export type PaymentCompleted = EventBase<'PaymentCompleted'>;

export type PaymentPartiallyFailed = EventBase<'PaymentPartiallyFailed'>;

export interface PaymentFailed extends EventBase<'PaymentFailed'> {
  readonly code: string;
  readonly message: string;
}

/** Everything that can happen to a payment; its state is the fold of these, in order. */
export type PaymentEvent =
  | PaymentRequested
  | PaymentRiskRejected
  | OrderExecutionRequested
  | OrderOutcomeUnknown
  | OrderSucceeded
  | OrderDeclined
  | OrderFailed
  | OrderCreditedToWallet
  | OrderRecordedInLedger
  | PaymentCompleted
  | PaymentPartiallyFailed
  | PaymentFailed;

export type PaymentEventType = PaymentEvent['type'];

export const PAYMENT_EVENT_TYPE_NAMES: readonly PaymentEventType[] = [
  'PaymentRequested',
  'PaymentRiskRejected',
  'OrderExecutionRequested',
  'OrderOutcomeUnknown',
  'OrderSucceeded',
  'OrderDeclined',
  'OrderFailed',
  'OrderCreditedToWallet',
  'OrderRecordedInLedger',
  'PaymentCompleted',
  'PaymentPartiallyFailed',
  'PaymentFailed',
];
