import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineEventType } from '../event-type-definition';
import { IsTimestamp } from '../payload-decorators.util';
import { TOPICS } from '../topics';
import { PAYMENT_METHOD_TYPES, PaymentMethodType } from './payment-method.payload';

export const METHOD_AVAILABILITY_EVENT_TYPES = {
  changed: 'keel.psp.method_availability_changed.v1',
} as const;

export class MethodAvailabilityChangedPayload {
  @IsIn(PAYMENT_METHOD_TYPES)
  paymentMethodType!: PaymentMethodType;

  /** False when no PSP routed for the method can take a charge (every breaker open or disabled). */
  @IsBoolean()
  available!: boolean;

  /** When unavailable: when the executor will next try a PSP of the method (its breakers' reset). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  retryAfterSeconds?: number;

  @IsTimestamp()
  changedAt!: string;
}

export const METHOD_AVAILABILITY_EVENT_DEFINITIONS = [
  defineEventType({
    type: METHOD_AVAILABILITY_EVENT_TYPES.changed,
    topic: TOPICS.psp,
    payload: MethodAvailabilityChangedPayload,
    subject: 'paymentMethodType',
    visibility: 'internal',
    description:
      'A payment method became unavailable (no PSP routed for it can take a charge) or available again.',
  }),
];
