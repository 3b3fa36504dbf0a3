import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { NoCardNumber } from '@keel/contracts';
import { LEDGER_PAGE_SIZE_LIMIT } from '../ledger.environment';

/** A cursor is base64url of a sort key of at most 64 characters, so 128 bounds it with room. */
export const CURSOR_LENGTH_MAX = 128;

/** `?limit=&cursor=` of every list; a limit above LEDGER_PAGE_SIZE_MAX is lowered to it. */
export class PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(LEDGER_PAGE_SIZE_LIMIT)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(CURSOR_LENGTH_MAX)
  @NoCardNumber()
  cursor?: string;
}
