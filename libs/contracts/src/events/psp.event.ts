import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { defineEventType } from '../event-type-definition';
import { IsIdentifier, IsTimestamp } from '../payload-decorators.util';
import { TOPICS } from '../topics';
import { PAYMENT_METHOD_TYPES, PaymentMethodType } from './payment-method.payload';

export const PSP_EVENT_TYPES = {
  breakerStateChanged: 'keel.psp.breaker_state_changed.v1',
  attemptRecorded: 'keel.psp.attempt_recorded.v1',
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

/**
 * How a PSP attempt ended, for watching PSPs and providers: `approved`; `declined` — the PSP
 * answered a refusal of the buyer's card or account, so the PSP works; `failed` — the PSP's own
 * trouble, nothing charged (unavailable, connection refused, breaker open, a request it refused);
 * `unknown` — the charge's outcome is still to be found out (timeout, lost answer, pending).
 */
export const PSP_ATTEMPT_OUTCOMES = ['approved', 'declined', 'failed', 'unknown'] as const;
export type PspAttemptOutcome = (typeof PSP_ATTEMPT_OUTCOMES)[number];

/** The provider of an attempt whose order names none (its method type alone was asked for). */
export const UNSPECIFIED_PROVIDER = 'unspecified';
/** The PSP's message is kept to a line: enough to tell one error from another, never a body. */
export const ATTEMPT_ERROR_MESSAGE_LENGTH_MAX = 200;
/** A day: a call cannot take longer, whatever the clocks did. */
export const ATTEMPT_LATENCY_MS_MAX = 86_400_000;

export class PspAttemptRecordedPayload {
  /** The payment order charged (also the idempotency key the PSP was sent). */
  @IsIdentifier()
  orderId!: string;

  @IsIdentifier()
  pspId!: string;

  @IsIn(PAYMENT_METHOD_TYPES)
  methodType!: PaymentMethodType;

  /** The card issuer, easy-pay provider or bank of the order; UNSPECIFIED_PROVIDER when it names none. */
  @IsIdentifier()
  provider!: string;

  @IsIn(PSP_ATTEMPT_OUTCOMES)
  outcome!: PspAttemptOutcome;

  /** Keel's decline code for a decline; the executor's error code for a failed or unknown attempt. */
  @IsOptional()
  @IsIdentifier()
  errorCode?: string;

  /** The PSP's message for a decline or an error, cut to ATTEMPT_ERROR_MESSAGE_LENGTH_MAX. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(ATTEMPT_ERROR_MESSAGE_LENGTH_MAX)
  errorMessage?: string;

  /** The PSP call's duration; 0 when a breaker turned the attempt away without a call. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(ATTEMPT_LATENCY_MS_MAX)
  latencyMs!: number;

  /** Not the order's first charge attempt. */
  @IsBoolean()
  retry!: boolean;

  /** At another PSP than the order's previous attempt. */
  @IsBoolean()
  failover!: boolean;

  /** When the call started. */
  @IsTimestamp()
  attemptedAt!: string;
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
  defineEventType({
    type: PSP_EVENT_TYPES.attemptRecorded,
    topic: TOPICS.psp,
    payload: PspAttemptRecordedPayload,
    subject: 'pspId',
    visibility: 'internal',
    description:
      "One charge attempt at a PSP and how it ended (approved, declined, failed, unknown), with the order's method and provider, the PSP's error, the latency and whether it was a retry or a failover.",
  }),
];
