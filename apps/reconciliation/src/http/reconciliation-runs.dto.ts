import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { NoCardNumber } from '@keel/contracts';
import { RECON_RUNS_PAGE_SIZE_LIMIT } from '../reconciliation.environment';
import { RUN_STATUSES, type RunListQuery, type RunStatus } from '../runs/reconciliation-run';

/** PSP ids are short words; anything longer is no PSP (answered 400 unknown-psp all the same). */
const PSP_LENGTH_MAX = 64;
/** `YYYY-MM-DD`; a longer text is no day. */
const DATE_LENGTH_MAX = 32;
/** A cursor is base64url of an ISO instant and a UUID (~100 characters). */
const CURSOR_LENGTH_MAX = 160;

/** `POST /v1/reconciliation/runs` `{ psp, date }`; `date` is the PSP's own day. */
export class CreateRunBody {
  @IsString()
  @MaxLength(PSP_LENGTH_MAX)
  @NoCardNumber()
  psp!: string;

  @IsString()
  @MaxLength(DATE_LENGTH_MAX)
  @NoCardNumber()
  date!: string;
}

/** `POST /v1/reconciliation/runs/upload?psp=&date=`. */
export class UploadRunQuery extends CreateRunBody {}

/** `GET /v1/reconciliation/runs?psp=&date=&status=&limit=&cursor=`, newest first. */
export class ListRunsQuery implements RunListQuery {
  @IsOptional()
  @IsString()
  @MaxLength(PSP_LENGTH_MAX)
  @NoCardNumber()
  psp?: string;

  @IsOptional()
  @IsString()
  @MaxLength(DATE_LENGTH_MAX)
  @NoCardNumber()
  date?: string;

  @IsOptional()
  @IsIn(RUN_STATUSES)
  status?: RunStatus;

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
