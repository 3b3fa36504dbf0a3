import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsIdentifier, NoCardNumber } from '@keel/contracts';
import { ENTRIES_PAGE_LIMIT_CEILING } from '../wallet.environment';

/** The cursor is opaque; its own decoder checks it, this only bounds what is read. */
const CURSOR_LENGTH_MAX = 64;

/** A wallet is one merchant's seller's: the same seller id of two merchants names two wallets. */
export class WalletParams {
  @IsIdentifier()
  @NoCardNumber()
  merchantId!: string;

  @IsIdentifier()
  @NoCardNumber()
  sellerId!: string;
}

/** `?limit=&cursor=` of `GET /v1/merchants/{merchantId}/wallets/{sellerId}`; the configured maximum is checked by the service. */
export class WalletEntriesQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(ENTRIES_PAGE_LIMIT_CEILING)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(CURSOR_LENGTH_MAX)
  @NoCardNumber()
  cursor?: string;
}
