import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsISO31661Alpha2, IsOptional, Matches, MaxLength } from 'class-validator';
import { IDENTIFIER_PATTERN, NoCardNumber } from '@keel/contracts';

/** RFC 5321 bounds a mailbox at 254 characters. */
const EMAIL_LENGTH_MAX = 254;

export class BuyerDto {
  @ApiProperty({ description: "The merchant's id for the buyer.", pattern: IDENTIFIER_PATTERN.source })
  @Matches(IDENTIFIER_PATTERN, {
    message: 'id must be 1-64 letters, digits or . _ : -, starting alphanumeric',
  })
  @NoCardNumber()
  id!: string;

  @ApiPropertyOptional({ format: 'email', maxLength: EMAIL_LENGTH_MAX })
  @IsOptional()
  @MaxLength(EMAIL_LENGTH_MAX)
  @IsEmail()
  @NoCardNumber()
  email?: string;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2 country code.', example: 'KR' })
  @IsOptional()
  @IsISO31661Alpha2()
  country?: string;
}
