import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
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
 * shown), on again for a share of its payments (a probe), or fully on, by ops' automation or a person. The latest event per method and provider is
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

  /**
   * While ops probes a provider it had switched off (enabled): the share of its new payments, in
   * percent, that is admitted; the rest are refused as if it were off. Absent: every payment when
   * enabled, none when not.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(99)
  admittedPercent?: number;

  /** What buyers are told while it is off, or refused while it is probed; absent when it is on. */
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
      'A payment method or one of its providers was switched off for buyers (with a notice), on again for a share of its payments (a probe), or fully on, by ops.',
  }),
];
