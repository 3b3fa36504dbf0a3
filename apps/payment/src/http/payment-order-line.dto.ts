import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { IDENTIFIER_PATTERN, NoCardNumber } from '@keel/contracts';

export class PaymentOrderLineDto {
  @ApiProperty({
    description: 'The seller this share of the payment goes to.',
    pattern: IDENTIFIER_PATTERN.source,
  })
  @Matches(IDENTIFIER_PATTERN, {
    message: 'sellerId must be 1-64 letters, digits or . _ : -, starting alphanumeric',
  })
  @NoCardNumber()
  sellerId!: string;

  /**
   * A JSON number, so it must be a safe integer: beyond 2^53 - 1 a number may already have lost
   * digits before we see it. Strings are refused (no implicit conversion).
   */
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'Integer minor units of the payment currency (e.g. cents, won).',
    example: 15000,
  })
  @IsInt({ message: 'amount must be an integer number of minor units' })
  @Min(1, { message: 'amount must be at least 1 minor unit' })
  @Max(Number.MAX_SAFE_INTEGER, { message: 'amount must not exceed 9007199254740991 minor units' })
  amount!: number;
}
