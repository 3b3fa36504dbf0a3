import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { NoCardNumber } from '@keel/contracts';
import {
  DISCREPANCY_CLASSES,
  DISCREPANCY_STATUSES,
  type DiscrepancyClass,
  type DiscrepancyFilter,
  type DiscrepancyStatus,
} from '../discrepancies/discrepancy';
import { RECON_RUNS_PAGE_SIZE_LIMIT } from '../reconciliation.environment';

/** PSP ids are short words; a longer one matches nothing. */
const PSP_LENGTH_MAX = 64;
/** `YYYY-MM-DD`. */
const DATE_PATTERN_LENGTH = 10;
/** A cursor is base64url of a day and a UUID (~64 characters). */
const CURSOR_LENGTH_MAX = 160;
/** Why an operator resolves or annotates: a few sentences. */
const NOTE_LENGTH_MAX = 2_000;

/** `GET /v1/reconciliation/discrepancies?psp=&date=&class=&status=&limit=&cursor=`, newest day first. */
export class ListDiscrepanciesQuery implements DiscrepancyFilter {
  @IsOptional()
  @IsString()
  @MaxLength(PSP_LENGTH_MAX)
  @NoCardNumber()
  psp?: string;

  @IsOptional()
  @IsString()
  @MinLength(DATE_PATTERN_LENGTH)
  @MaxLength(DATE_PATTERN_LENGTH)
  @NoCardNumber()
  date?: string;

  @IsOptional()
  @IsIn(DISCREPANCY_CLASSES)
  class?: DiscrepancyClass;

  @IsOptional()
  @IsIn(DISCREPANCY_STATUSES)
  status?: DiscrepancyStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(RECON_RUNS_PAGE_SIZE_LIMIT)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(CURSOR_LENGTH_MAX)
  @NoCardNumber()
  cursor?: string;
}

/** `POST …/{id}/resolve` and `POST …/{id}/notes`: `{ note }`, the why, stored with who and when. */
export class DiscrepancyNoteBody {
  @IsString()
  @MinLength(1)
  @MaxLength(NOTE_LENGTH_MAX)
  @NoCardNumber()
  note!: string;
}
