import { IsIn, IsOptional } from 'class-validator';
import { defineEventType } from '../event-type-definition';
import { IsIdentifier, IsTimestamp } from '../payload-decorators.util';
import { TOPICS } from '../topics';
import { PAYMENT_METHOD_TYPES, PaymentMethodType } from './payment-method.payload';

export const PSP_EVENT_TYPES = {
  breakerStateChanged: 'keel.psp.breaker_state_changed.v1',
} as const;

export const BREAKER_STATES = ['closed', 'open', 'half_open'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

export class PspBreakerStateChangedPayload {
  @IsIdentifier()
  pspId!: string;

  /** Set when the breaker guards one payment method of the PSP rather than the whole PSP. */
  @IsOptional()
  @IsIn(PAYMENT_METHOD_TYPES)
  paymentMethodType?: PaymentMethodType;

  @IsIn(BREAKER_STATES)
  previousState!: BreakerState;

  @IsIn(BREAKER_STATES)
  state!: BreakerState;

  @IsTimestamp()
  changedAt!: string;
}

export const PSP_EVENT_DEFINITIONS = [
  defineEventType({
    type: PSP_EVENT_TYPES.breakerStateChanged,
    topic: TOPICS.psp,
    payload: PspBreakerStateChangedPayload,
    subject: 'pspId',
    visibility: 'internal',
    description: "A PSP's circuit breaker changed state.",
  }),
];
