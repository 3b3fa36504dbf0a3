import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { NoCardNumber } from '@keel/contracts';
import type { PaymentListQuery } from '../payments/payment-query.service';
import { CHECKOUT_ID_PATTERN } from './create-payment.dto';

/** Longer than any cursor this API issues. */
const CURSOR_LENGTH_MAX = 512;

export class ListPaymentsQueryDto implements PaymentListQuery {
  @ApiPropertyOptional({ description: 'Only the payment of this checkout (at most one).' })
  @IsOptional()
  @Matches(CHECKOUT_ID_PATTERN)
  @NoCardNumber()
  checkoutId?: string;

  @ApiPropertyOptional({
    description: 'Page size; default PAGE_SIZE_DEFAULT (20), at most PAGE_SIZE_MAX (100).',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(CURSOR_LENGTH_MAX)
  @NoCardNumber()
  cursor?: string;
}
