import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { NoCardNumber } from '@keel/contracts';
import { RECON_RUNS_PAGE_SIZE_LIMIT } from '../reconciliation.environment';

/** PSP ids are short words; a longer one is no PSP. */
export const PSP_LENGTH_MAX = 64;
/** A cursor is base64url of a day or an instant and a UUID (~100 characters at most). */
const CURSOR_LENGTH_MAX = 160;

/** What every list of reconciliation's API takes: a PSP to filter by, and a page. */
export class PspPageQuery {
  @IsOptional()
  @IsString()
  @MaxLength(PSP_LENGTH_MAX)
  @NoCardNumber()
  psp?: string;

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
