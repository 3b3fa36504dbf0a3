import { IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { CURRENCY_CODES, type CurrencyCode } from '@keel/money';
import { SEED_MAX } from '@keel/seeded-random';
import {
  AMOUNT_LIMIT_MINOR,
  PSP_IDS,
  SETTLEMENT_FAULT_KINDS,
  SETTLEMENT_ROW_KINDS,
  type PspId,
  type SettlementFaultKind,
  type SettlementFaultSpec,
  type SettlementRowKind,
} from '@keel/psp-sim-domain';
import { KEY_MAX_LENGTH } from '../http/request-fields';

/** The largest change an amount or fee fault may make, either way. */
const DELTA_MAX_MINOR = 1_000_000_000_000;

/** POST /admin/settlement-faults (API.md); which fields go with which kind is the domain's check. */
export class CreateSettlementFaultDto implements SettlementFaultSpec {
  @IsIn(PSP_IDS)
  psp!: PspId;

  @IsIn(SETTLEMENT_FAULT_KINDS)
  kind!: SettlementFaultKind;

  /** Printable ASCII, as every PSP takes its idempotency keys. */
  @IsOptional()
  @IsString()
  @Length(1, KEY_MAX_LENGTH)
  @Matches(/^[\x20-\x7e]+$/, { message: 'merchantReference must be printable ASCII' })
  merchantReference?: string;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  share?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(SEED_MAX)
  seed?: number;

  @IsOptional()
  @IsIn(SETTLEMENT_ROW_KINDS)
  rowKind?: SettlementRowKind;

  @IsOptional()
  @IsInt()
  @Min(-DELTA_MAX_MINOR)
  @Max(DELTA_MAX_MINOR)
  amountDeltaMinor?: number;

  @IsOptional()
  @IsInt()
  @Min(-DELTA_MAX_MINOR)
  @Max(DELTA_MAX_MINOR)
  feeDeltaMinor?: number;

  @IsOptional()
  @IsIn(CURRENCY_CODES)
  currency?: CurrencyCode;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number(AMOUNT_LIMIT_MINOR))
  amountMinor?: number;

  /** Epoch milliseconds. */
  @IsOptional()
  @IsInt()
  @Min(0)
  occurredAtMs?: number;
}
