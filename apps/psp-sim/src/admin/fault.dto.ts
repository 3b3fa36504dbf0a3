import { IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import {
  DECLINE_MESSAGE_LENGTH_MAX,
  OUTAGE_KINDS,
  PAYMENT_METHODS,
  PSP_IDS,
  type FaultSpec,
  type OutageKind,
  type PaymentMethod,
  type PspId,
} from '@keel/psp-sim-domain';

const LATENCY_MS_MAX = 600_000;
const WEBHOOK_DELAY_MS_MAX = 600_000;

/** POST /admin/faults (API.md). */
export class CreateFaultDto implements FaultSpec {
  /** Absent for an issuer's fault at every PSP (the fault engine checks an issuer is given). */
  @IsOptional()
  @IsIn(PSP_IDS)
  psp?: PspId;

  @IsOptional()
  @IsIn(PAYMENT_METHODS)
  method?: PaymentMethod;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  issuer?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(LATENCY_MS_MAX)
  latencyMs?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  errorRate?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  timeoutRate?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  chargeThenTimeoutRate?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  webhookDuplicateRate?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(WEBHOOK_DELAY_MS_MAX)
  webhookDelayMs?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  declineRate?: number;

  @IsOptional()
  @IsString()
  @Length(1, DECLINE_MESSAGE_LENGTH_MAX)
  declineMessage?: string;

  @IsOptional()
  @IsIn(OUTAGE_KINDS)
  outage?: OutageKind;

  /** Epoch milliseconds. */
  @IsOptional()
  @IsInt()
  @Min(0)
  untilMs?: number;
}
