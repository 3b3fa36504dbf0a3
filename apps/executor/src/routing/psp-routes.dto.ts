import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  IDENTIFIER_PATTERN,
  NoCardNumber,
  PAYMENT_METHOD_TYPES,
  type PaymentMethodType,
} from '@keel/contracts';

export class PspRouteDto {
  @ApiProperty({ enum: PAYMENT_METHOD_TYPES })
  @IsIn(PAYMENT_METHOD_TYPES)
  methodType!: PaymentMethodType;

  @ApiProperty({
    example: '*',
    description: "An issuer, easy-pay provider or bank; '*' for the rest of the method.",
  })
  @IsString()
  @Matches(/^(\*|[a-z0-9_]{1,64})$/, { message: "provider must be '*' or a lower-case identifier" })
  @NoCardNumber()
  provider!: string;

  @ApiProperty({ example: 'acme' })
  @Matches(IDENTIFIER_PATTERN, { message: 'pspId must be an identifier' })
  @NoCardNumber()
  pspId!: string;

  @ApiProperty({ example: 70, description: 'Relative integer weight; 0 sends the PSP nothing.' })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  weight!: number;

  @ApiProperty({ example: true })
  @IsBoolean()
  enabled!: boolean;
}

export class PspRoutesDto {
  @ApiProperty({ type: [PspRouteDto] })
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @ArrayMaxSize(1_000)
  @Type(() => PspRouteDto)
  routes!: PspRouteDto[];
}
