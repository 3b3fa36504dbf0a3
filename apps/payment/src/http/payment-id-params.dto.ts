import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { NoCardNumber } from '@keel/contracts';

/**
 * The path of a payment read. Any string that is not one of the merchant's payment ids is a 404,
 * except a card number: refused with 400 like in every other field, never looked up or echoed.
 */
export class PaymentIdParamsDto {
  @ApiProperty({ description: 'The payment id (`pay_…`).' })
  @IsString()
  @NoCardNumber()
  id!: string;
}
