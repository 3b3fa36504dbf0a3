import { IsOptional } from 'class-validator';
import { defineEventType } from '../event-type-definition';
import {
  IsExternalReference,
  IsIdentifier,
  IsTimestamp,
  NestedPayload,
  NestedPayloadArray,
} from '../payload-decorators.util';
import { TOPICS } from '../topics';
import { FailurePayload } from './failure.payload';
import { PositiveMoneyPayload } from './money.payload';
import { PaymentMethodPayload } from './payment-method.payload';

export const PAYMENT_EVENT_TYPES = {
  requested: 'keel.payment.requested.v1',
  completed: 'keel.payment.completed.v1',
  failed: 'keel.payment.failed.v1',
  partiallyFailed: 'keel.payment.partially_failed.v1',
} as const;

/** One payment (checkout) holds one payment order per seller; this bounds a checkout's sellers. */
export const PAYMENT_ORDERS_PER_PAYMENT_MAX = 100;
const PAYMENT_ORDER_BOUNDS = { minItems: 1, maxItems: PAYMENT_ORDERS_PER_PAYMENT_MAX };

export class PaymentOrderLinePayload {
  @IsIdentifier()
  paymentOrderId!: string;

  @IsIdentifier()
  sellerId!: string;

  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;
}

export class ChargedPaymentOrderPayload {
  @IsIdentifier()
  paymentOrderId!: string;

  @IsIdentifier()
  sellerId!: string;

  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;

  @IsIdentifier()
  pspId!: string;

  /** The PSP's transaction id, which reconciliation matches against the settlement file. */
  @IsExternalReference()
  pspReference!: string;
}

export class FailedPaymentOrderPayload {
  @IsIdentifier()
  paymentOrderId!: string;

  @IsIdentifier()
  sellerId!: string;

  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;

  @NestedPayload(() => FailurePayload)
  failure!: FailurePayload;
}

export class PaymentRequestedPayload {
  @IsIdentifier()
  paymentId!: string;

  @IsIdentifier()
  merchantId!: string;

  /** The merchant's own order reference, echoed back so the merchant can match our events. */
  @IsOptional()
  @IsExternalReference()
  merchantReference?: string;

  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;

  @NestedPayload(() => PaymentMethodPayload)
  paymentMethod!: PaymentMethodPayload;

  @NestedPayloadArray(() => PaymentOrderLinePayload, PAYMENT_ORDER_BOUNDS)
  paymentOrders!: PaymentOrderLinePayload[];

  @IsTimestamp()
  requestedAt!: string;
}

export class PaymentCompletedPayload {
  @IsIdentifier()
  paymentId!: string;

  @IsIdentifier()
  merchantId!: string;

  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;

  @NestedPayloadArray(() => ChargedPaymentOrderPayload, PAYMENT_ORDER_BOUNDS)
  paymentOrders!: ChargedPaymentOrderPayload[];

  @IsTimestamp()
  completedAt!: string;
}

export class PaymentFailedPayload {
  @IsIdentifier()
  paymentId!: string;

  @IsIdentifier()
  merchantId!: string;

  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;

  /** Why the payment as a whole failed; each order carries its own reason too. */
  @NestedPayload(() => FailurePayload)
  failure!: FailurePayload;

  @NestedPayloadArray(() => FailedPaymentOrderPayload, PAYMENT_ORDER_BOUNDS)
  paymentOrders!: FailedPaymentOrderPayload[];

  @IsTimestamp()
  failedAt!: string;
}

/** Some sellers' orders were charged and others were not; the charged ones stand. */
export class PaymentPartiallyFailedPayload {
  @IsIdentifier()
  paymentId!: string;

  @IsIdentifier()
  merchantId!: string;

  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;

  @NestedPayloadArray(() => ChargedPaymentOrderPayload, PAYMENT_ORDER_BOUNDS)
  succeededOrders!: ChargedPaymentOrderPayload[];

  @NestedPayloadArray(() => FailedPaymentOrderPayload, PAYMENT_ORDER_BOUNDS)
  failedOrders!: FailedPaymentOrderPayload[];

  @IsTimestamp()
  finishedAt!: string;
}

export const PAYMENT_EVENT_DEFINITIONS = [
  defineEventType({
    type: PAYMENT_EVENT_TYPES.requested,
    topic: TOPICS.payment,
    payload: PaymentRequestedPayload,
    subject: 'paymentId',
    visibility: 'public',
    description: 'A payment passed intake and its payment orders are being charged.',
  }),
  defineEventType({
    type: PAYMENT_EVENT_TYPES.completed,
    topic: TOPICS.payment,
    payload: PaymentCompletedPayload,
    subject: 'paymentId',
    visibility: 'public',
    description: 'Every payment order of the payment was charged.',
  }),
  defineEventType({
    type: PAYMENT_EVENT_TYPES.failed,
    topic: TOPICS.payment,
    payload: PaymentFailedPayload,
    subject: 'paymentId',
    visibility: 'public',
    description: 'No payment order of the payment was charged (risk rejection, declines or failures).',
  }),
  defineEventType({
    type: PAYMENT_EVENT_TYPES.partiallyFailed,
    topic: TOPICS.payment,
    payload: PaymentPartiallyFailedPayload,
    subject: 'paymentId',
    visibility: 'public',
    description: 'Some payment orders were charged and the others definitively were not.',
  }),
];
