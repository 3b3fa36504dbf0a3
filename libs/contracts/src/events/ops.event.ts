import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { defineEventType } from '../event-type-definition';
import { IsTimestamp, TEXT_LENGTH_MAX } from '../payload-decorators.util';
import { TOPICS } from '../topics';
import { PAYMENT_METHOD_TYPES, PaymentMethodType } from './payment-method.payload';

export const OPS_EVENT_TYPES = {
  methodStatusChanged: 'keel.ops.method_status_changed.v1',
} as const;

/** `*`: the whole method; otherwise one issuer, easy-pay provider or bank (as in the executor's routes). */
export const METHOD_PROVIDER_PATTERN = /^(\*|[a-z0-9_]{1,64})$/;
/** Who changed it: `ops:auto` for automation, else the operator's name. */
const ACTOR_LENGTH_MAX = 128;

/**
 * A payment method, or one provider of it, switched off for buyers (with the notice they are
 * shown) or on again, by ops' automation or a person. The latest event per method and provider is
 * the status in force.
 */
export class OpsMethodStatusChangedPayload {
  @IsIn(PAYMENT_METHOD_TYPES)
  methodType!: PaymentMethodType;

  @IsString()
  @Matches(METHOD_PROVIDER_PATTERN)
  provider!: string;

  @IsBoolean()
  enabled!: boolean;

  /** What buyers are told while it is off; absent when it is on. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LENGTH_MAX)
  notice?: string;

  @IsString()
  @MinLength(1)
  @MaxLength(ACTOR_LENGTH_MAX)
  changedBy!: string;

  @IsTimestamp()
  changedAt!: string;
}

export const OPS_EVENT_DEFINITIONS = [
  defineEventType({
    type: OPS_EVENT_TYPES.methodStatusChanged,
    topic: TOPICS.ops,
    payload: OpsMethodStatusChangedPayload,
    subject: 'methodType',
    visibility: 'internal',
    description:
      'A payment method or one of its providers was switched off for buyers (with a notice) or on again, by ops.',
  }),
];
