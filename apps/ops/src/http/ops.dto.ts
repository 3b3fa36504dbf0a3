import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  IDENTIFIER_PATTERN,
  METHOD_PROVIDER_PATTERN,
  NoCardNumber,
  PAYMENT_METHOD_TYPES,
  type PaymentMethodType,
} from '@keel/contracts';
import { INCIDENT_STATUSES, type IncidentStatus } from '../incidents/incident';

/** Why a person acts, or a note: a few sentences. */
const TEXT_LENGTH_MAX = 2_000;
/** What buyers read while a method is off. */
const NOTICE_LENGTH_MAX = 500;
/** More rules than this is a mistake, not a configuration. */
const RULES_MAX = 100;
/** A page never holds more than this, whatever OPS_PAGE_SIZE_MAX says. */
const PAGE_LIMIT_MAX = 1_000;

/** One detection rule as written; ruleProblems (libs/ops/domain) judges what the values mean. */
export class DetectionRuleDto {
  @ApiProperty({ example: 'psp-trouble' })
  @IsString()
  @MaxLength(64)
  id!: string;

  @ApiProperty({ example: 'trouble_rate' })
  @IsString()
  @MaxLength(64)
  kind!: string;

  @ApiPropertyOptional({ example: 'psp', description: 'psp, provider or psp_provider (windowed rules)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  level?: string;

  @ApiProperty({ example: 0.3 })
  @IsNumber()
  threshold!: number;

  @ApiProperty({ example: 20_000 })
  @IsInt()
  windowMs!: number;

  @ApiProperty({ example: 20 })
  @IsInt()
  minVolume!: number;

  @ApiProperty({ example: 120_000 })
  @IsInt()
  cooldownMs!: number;

  @ApiProperty({ example: 'auto_act', description: 'alert_only or auto_act' })
  @IsString()
  @MaxLength(64)
  response!: string;

  @ApiPropertyOptional({ example: 0.95 })
  @IsOptional()
  @IsNumber()
  percentile?: number;

  @ApiPropertyOptional({ example: 600_000 })
  @IsOptional()
  @IsInt()
  baselineWindowMs?: number;
}

export class DetectionRulesBody {
  @ApiProperty({ type: [DetectionRuleDto] })
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @ArrayMaxSize(RULES_MAX)
  @Type(() => DetectionRuleDto)
  rules!: DetectionRuleDto[];
}

/** Why a person changes routing: stored in the audit with who and when. */
export class WhyBody {
  @ApiProperty({ example: 'acme asked us to drain it for their maintenance' })
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LENGTH_MAX)
  @NoCardNumber()
  why!: string;
}

export class GroupRouteDto {
  @ApiProperty({ example: 'acme' })
  @Matches(IDENTIFIER_PATTERN, { message: 'pspId must be an identifier' })
  @NoCardNumber()
  pspId!: string;

  @ApiProperty({ example: 70, description: 'Relative integer weight; 0 sends the PSP nothing.' })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  weight!: number;

  @ApiProperty({ example: true })
  @IsBoolean()
  enabled!: boolean;
}

/** `PUT /v1/ops/routing/weights/{methodType}`: one route group's PSPs and weights. */
export class GroupWeightsBody extends WhyBody {
  @ApiPropertyOptional({
    example: '*',
    description: "An issuer, easy-pay provider or bank; '*' (default) for the rest of the method.",
  })
  @IsOptional()
  @Matches(METHOD_PROVIDER_PATTERN, { message: "provider must be '*' or a lower-case identifier" })
  provider?: string;

  @ApiProperty({ type: [GroupRouteDto] })
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @ArrayMaxSize(100)
  @Type(() => GroupRouteDto)
  routes!: GroupRouteDto[];
}

/** `PUT /v1/ops/routing/methods/{methodType}/{provider}`: on, or off with what buyers are told. */
export class MethodStatusBody extends WhyBody {
  @ApiProperty({ example: false })
  @IsBoolean()
  enabled!: boolean;

  @ApiPropertyOptional({ example: 'Shinhan cards cannot be used right now; please choose another card.' })
  @ValidateIf((body: MethodStatusBody) => body.enabled === false || body.notice !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(NOTICE_LENGTH_MAX)
  @NoCardNumber()
  notice?: string;
}

export class MethodTypeParams {
  @IsIn(PAYMENT_METHOD_TYPES)
  methodType!: PaymentMethodType;
}

export class MethodGroupParams extends MethodTypeParams {
  @Matches(METHOD_PROVIDER_PATTERN, { message: "provider must be '*' or a lower-case identifier" })
  provider!: string;
}

export class PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_LIMIT_MAX)
  limit?: number;

  /** The last id of the page before. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @NoCardNumber()
  before?: string;
}

export class IncidentListQuery extends PageQuery {
  @IsOptional()
  @IsIn(INCIDENT_STATUSES)
  status?: IncidentStatus;
}

/** A note on an incident, or why it is resolved. */
export class IncidentNoteBody {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LENGTH_MAX)
  @NoCardNumber()
  note!: string;
}

export class AmountDto {
  @ApiProperty({ example: '1250000', description: 'Integer minor units, as a string.' })
  @Matches(/^(0|[1-9]\d{0,17})$/, { message: 'amountMinor must be a non-negative integer in minor units' })
  amountMinor!: string;

  @ApiProperty({ example: 'KRW' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency!: string;
}

/** `PUT /v1/ops/incidents/{id}/post-mortem`: the fields given are set, the others kept. */
export class PostMortemBody {
  @IsOptional()
  @IsISO8601({ strict: true })
  startedAt?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  detectedAt?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  mitigatedAt?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  recoveredAt?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LENGTH_MAX)
  @NoCardNumber()
  cause?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(TEXT_LENGTH_MAX)
  @NoCardNumber()
  scope?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  affectedPayments?: number;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AmountDto)
  affectedAmount?: AmountDto;
}
