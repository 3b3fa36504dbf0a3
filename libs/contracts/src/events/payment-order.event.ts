import { IsOptional } from 'class-validator';
import { defineEventType } from '../event-type-definition';
import { IsExternalReference, IsIdentifier, IsTimestamp, NestedPayload } from '../payload-decorators.util';
import { TOPICS } from '../topics';
import { FailurePayload } from './failure.payload';
import { NonNegativeMoneyPayload, PositiveMoneyPayload } from './money.payload';
import { PaymentMethodPayload } from './payment-method.payload';

export const PAYMENT_ORDER_EVENT_TYPES = {
  executionRequested: 'keel.payment_order.execution_requested.v1',
  succeeded: 'keel.payment_order.succeeded.v1',
  succeededV2: 'keel.payment_order.succeeded.v2',
  declined: 'keel.payment_order.declined.v1',
  failed: 'keel.payment_order.failed.v1',
} as const;

/** The payment service asks the executor to charge one seller's share of a payment. */
export class PaymentOrderExecutionRequestedPayload {
  /** Also the idempotency key sent to the PSP, so a retry can never charge twice. */
  @IsIdentifier()
  paymentOrderId!: string;

  @IsIdentifier()
  paymentId!: string;

  @IsIdentifier()
  merchantId!: string;

  @IsIdentifier()
  sellerId!: string;

  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;

  @NestedPayload(() => PaymentMethodPayload)
  paymentMethod!: PaymentMethodPayload;

  /** The PSP's token for the buyer's card or easy-pay account; never a card number. */
  @IsOptional()
  @IsExternalReference()
  instrumentToken?: string;

  /**
   * The platform's fee on this order, decided by the payment service when it accepted the payment;
   * the executor carries it to `succeeded.v2`. Absent from requests of payment services that
   * predate it (optional, so that v1 stays compatible).
   */
  @IsOptional()
  @NestedPayload(() => NonNegativeMoneyPayload)
  platformFee?: NonNegativeMoneyPayload;

  @IsTimestamp()
  requestedAt!: string;
}

/** The PSP charged the order; the payment saga acts on this. */
export class PaymentOrderSucceededPayload {
  @IsIdentifier()
  paymentOrderId!: string;

  @IsIdentifier()
  paymentId!: string;

  @IsIdentifier()
  merchantId!: string;

  @IsIdentifier()
  sellerId!: string;

  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;

  @NestedPayload(() => PaymentMethodPayload)
  paymentMethod!: PaymentMethodPayload;

  @IsIdentifier()
  pspId!: string;

  @IsExternalReference()
  pspReference!: string;

  @IsTimestamp()
  succeededAt!: string;
}

/**
 * The PSP charged the order, with the platform fee the payment service decided for it; wallet and
 * ledger act on this and take the fee as it is, so they credit the seller the same `amount −
 * platformFee`. Published beside v1 (a required field is a new version), for orders that carry a fee.
 */
export class PaymentOrderSucceededV2Payload {
  @IsIdentifier()
  paymentOrderId!: string;

  @IsIdentifier()
  paymentId!: string;

  @IsIdentifier()
  merchantId!: string;

  @IsIdentifier()
  sellerId!: string;

  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;

  /** In the amount's currency and below the amount; a consumer dead-letters any other. */
  @NestedPayload(() => NonNegativeMoneyPayload)
  platformFee!: NonNegativeMoneyPayload;

  @NestedPayload(() => PaymentMethodPayload)
  paymentMethod!: PaymentMethodPayload;

  @IsIdentifier()
  pspId!: string;

  @IsExternalReference()
  pspReference!: string;

  @IsTimestamp()
  succeededAt!: string;
}

/** The PSP refused the charge for a business reason (e.g. insufficient funds); no money moved. */
export class PaymentOrderDeclinedPayload {
  @IsIdentifier()
  paymentOrderId!: string;

  @IsIdentifier()
  paymentId!: string;

  @IsIdentifier()
  sellerId!: string;

  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;

  @NestedPayload(() => PaymentMethodPayload)
  paymentMethod!: PaymentMethodPayload;

  @IsIdentifier()
  pspId!: string;

  @NestedPayload(() => FailurePayload)
  decline!: FailurePayload;

  @IsTimestamp()
  declinedAt!: string;
}

/**
 * The order could not be charged for a technical reason and is known not to have been charged
 * (an unknown outcome is resolved before this is published).
 */
export class PaymentOrderFailedPayload {
  @IsIdentifier()
  paymentOrderId!: string;

  @IsIdentifier()
  paymentId!: string;

  @IsIdentifier()
  sellerId!: string;

  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;

  @NestedPayload(() => PaymentMethodPayload)
  paymentMethod!: PaymentMethodPayload;

  /** Absent when no PSP was tried, e.g. every breaker for the method was open. */
  @IsOptional()
  @IsIdentifier()
  pspId?: string;

  @NestedPayload(() => FailurePayload)
  failure!: FailurePayload;

  @IsTimestamp()
  failedAt!: string;
}

export const PAYMENT_ORDER_EVENT_DEFINITIONS = [
  defineEventType({
    type: PAYMENT_ORDER_EVENT_TYPES.executionRequested,
    topic: TOPICS.paymentOrder,
    payload: PaymentOrderExecutionRequestedPayload,
    subject: 'paymentOrderId',
    visibility: 'internal',
    description: 'Command to the executor: charge this payment order.',
  }),
  defineEventType({
    type: PAYMENT_ORDER_EVENT_TYPES.succeeded,
    topic: TOPICS.paymentOrder,
    payload: PaymentOrderSucceededPayload,
    subject: 'paymentOrderId',
    visibility: 'internal',
    description: 'The PSP charged the payment order.',
  }),
  defineEventType({
    type: PAYMENT_ORDER_EVENT_TYPES.succeededV2,
    topic: TOPICS.paymentOrder,
    payload: PaymentOrderSucceededV2Payload,
    subject: 'paymentOrderId',
    visibility: 'internal',
    description:
      'The PSP charged the payment order; carries the platform fee that wallet and ledger apply. Published beside succeeded.v1.',
  }),
  defineEventType({
    type: PAYMENT_ORDER_EVENT_TYPES.declined,
    topic: TOPICS.paymentOrder,
    payload: PaymentOrderDeclinedPayload,
    subject: 'paymentOrderId',
    visibility: 'internal',
    description: 'The PSP declined the payment order; no money moved.',
  }),
  defineEventType({
    type: PAYMENT_ORDER_EVENT_TYPES.failed,
    topic: TOPICS.paymentOrder,
    payload: PaymentOrderFailedPayload,
    subject: 'paymentOrderId',
    visibility: 'internal',
    description: 'The payment order failed for a technical reason and is known not to be charged.',
  }),
];
