import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { NoCardNumber } from '@keel/contracts';
import { PSP_LENGTH_MAX, PspPageQuery } from './psp-page-query.dto';
import { RUN_STATUSES, type RunListQuery, type RunStatus } from '../runs/reconciliation-run';

/** `YYYY-MM-DD`; a longer text is no day. */
const DATE_LENGTH_MAX = 32;

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
export class ListRunsQuery extends PspPageQuery implements RunListQuery {
  @IsOptional()
  @IsString()
  @MaxLength(DATE_LENGTH_MAX)
  @NoCardNumber()
  date?: string;

  @IsOptional()
  @IsIn(RUN_STATUSES)
  status?: RunStatus;
}
