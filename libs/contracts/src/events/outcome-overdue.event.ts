import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { defineEventType } from '../event-type-definition';
import { IsIdentifier, IsTimestamp } from '../payload-decorators.util';
import { TOPICS } from '../topics';

export const OUTCOME_OVERDUE_EVENT_TYPES = {
  overdue: 'keel.payment_order.outcome_overdue.v1',
} as const;

/**
 * A payment order's outcome has been unknown longer than the executor's deadline. It is still
 * being resolved by inquiry at its PSP (never charged again); this is the incident signal, sent once.
 */
export class PaymentOrderOutcomeOverduePayload {
  @IsIdentifier()
  paymentOrderId!: string;

  @IsIdentifier()
  paymentId!: string;

  /** The PSP that may hold the charge; the only one asked about it. */
  @IsIdentifier()
  pspId!: string;

  /** When the order's outcome became unknown. */
  @IsTimestamp()
  unknownSince!: string;

  /** Status inquiries made so far. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  inquiries!: number;

  @IsTimestamp()
  reportedAt!: string;
}

export const OUTCOME_OVERDUE_EVENT_DEFINITIONS = [
  defineEventType({
    type: OUTCOME_OVERDUE_EVENT_TYPES.overdue,
    topic: TOPICS.paymentOrder,
    payload: PaymentOrderOutcomeOverduePayload,
    subject: 'paymentOrderId',
    visibility: 'internal',
    description:
      'A payment order stayed in unknown past the deadline; still resolved by inquiry, reported once.',
  }),
];
