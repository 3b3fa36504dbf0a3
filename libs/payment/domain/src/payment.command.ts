import type { PaymentOrderLine } from './payment.event';
import type { Buyer, PaymentMethod } from './payment-method';
import type { RiskVerdict } from './risk/risk-reason';

interface CommandBase<K extends string> {
  readonly kind: K;
  /** The time the resulting events are recorded with (RFC 3339, UTC). */
  readonly occurredAt: string;
}

/** Intake: ids are chosen by the caller so that the decision stays pure. */
export interface RequestPayment extends CommandBase<'RequestPayment'> {
  readonly paymentId: string;
  readonly merchantId: string;
  readonly checkoutId: string;
  readonly buyer: Buyer;
  readonly paymentMethod: PaymentMethod;
  readonly currency: string;
  readonly orders: readonly PaymentOrderLine[];
  readonly risk: RiskVerdict;
}

export interface RecordOrderOutcomeUnknown extends CommandBase<'RecordOrderOutcomeUnknown'> {
  readonly paymentOrderId: string;
}

export interface RecordOrderSucceeded extends CommandBase<'RecordOrderSucceeded'> {
  readonly paymentOrderId: string;
  readonly sellerId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly pspId: string;
  readonly pspReference: string;
}

export interface RecordOrderDeclined extends CommandBase<'RecordOrderDeclined'> {
  readonly paymentOrderId: string;
  readonly code: string;
  readonly message: string;
}

export interface RecordOrderFailed extends CommandBase<'RecordOrderFailed'> {
  readonly paymentOrderId: string;
  readonly code: string;
  readonly message: string;
}

export interface RecordWalletCredit extends CommandBase<'RecordWalletCredit'> {
  readonly paymentOrderId: string;
  readonly sellerId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
}

export interface RecordLedgerTransaction extends CommandBase<'RecordLedgerTransaction'> {
  readonly paymentOrderId: string;
  readonly ledgerTransactionId: string;
}

export type PaymentCommand =
  | RequestPayment
  | RecordOrderOutcomeUnknown
  | RecordOrderSucceeded
  | RecordOrderDeclined
  | RecordOrderFailed
  | RecordWalletCredit
  | RecordLedgerTransaction;
