import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { NoCardNumber } from '@keel/contracts';
import {
  DISCREPANCY_CLASSES,
  DISCREPANCY_STATUSES,
  type DiscrepancyClass,
  type DiscrepancyFilter,
  type DiscrepancyStatus,
} from '../discrepancies/discrepancy';
import { PspPageQuery } from './psp-page-query.dto';

/** `YYYY-MM-DD`. */
const DATE_PATTERN_LENGTH = 10;
/** Why an operator resolves or annotates: a few sentences. */
const NOTE_LENGTH_MAX = 2_000;

/** `GET /v1/reconciliation/discrepancies?psp=&date=&class=&status=&limit=&cursor=`, newest day first. */
export class ListDiscrepanciesQuery extends PspPageQuery implements DiscrepancyFilter {
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
}

/** `POST …/{id}/resolve` and `POST …/{id}/notes`: `{ note }`, the why, stored with who and when. */
export class DiscrepancyNoteBody {
  @IsString()
  @MinLength(1)
  @MaxLength(NOTE_LENGTH_MAX)
  @NoCardNumber()
  note!: string;
}
