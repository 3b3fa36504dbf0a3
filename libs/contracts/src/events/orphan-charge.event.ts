import { defineEventType } from '../event-type-definition';
import { IsExternalReference, IsIdentifier, IsTimestamp, NestedPayload } from '../payload-decorators.util';
import { TOPICS } from '../topics';
import { PositiveMoneyPayload } from './money.payload';

export const ORPHAN_CHARGE_EVENT_TYPES = {
  detected: 'keel.payment_order.orphan_charge_detected.v1',
  refunded: 'keel.payment_order.orphan_charge_refunded.v1',
} as const;

/**
 * A PSP holds a charge for a payment order Keel no longer charges (failed, declined by another
 * route, cancelled or given up on): the money is owed back to the buyer and is being refunded.
 */
export class OrphanChargeDetectedPayload {
  @IsIdentifier()
  paymentOrderId!: string;

  @IsIdentifier()
  paymentId!: string;

  @IsIdentifier()
  pspId!: string;

  /** The PSP's id of the orphan charge. */
  @IsExternalReference()
  pspReference!: string;

  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;

  @IsTimestamp()
  detectedAt!: string;
}

/** The PSP confirmed the refund of an orphan charge; the buyer gets the money back. */
export class OrphanChargeRefundedPayload {
  @IsIdentifier()
  paymentOrderId!: string;

  @IsIdentifier()
  paymentId!: string;

  @IsIdentifier()
  pspId!: string;

  @IsExternalReference()
  pspReference!: string;

  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;

  @IsTimestamp()
  detectedAt!: string;

  /** The PSP's id of the refund (or cancellation). */
  @IsExternalReference()
  refundReference!: string;

  @IsTimestamp()
  refundedAt!: string;
}

export const ORPHAN_CHARGE_EVENT_DEFINITIONS = [
  defineEventType({
    type: ORPHAN_CHARGE_EVENT_TYPES.detected,
    topic: TOPICS.paymentOrder,
    payload: OrphanChargeDetectedPayload,
    subject: 'paymentOrderId',
    visibility: 'internal',
    description: 'A PSP charged a payment order Keel had already given up on; a refund follows.',
  }),
  defineEventType({
    type: ORPHAN_CHARGE_EVENT_TYPES.refunded,
    topic: TOPICS.paymentOrder,
    payload: OrphanChargeRefundedPayload,
    subject: 'paymentOrderId',
    visibility: 'internal',
    description: 'The PSP refunded an orphan charge in full.',
  }),
];
