import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsObject,
  Matches,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { NoCardNumber } from '@keel/contracts';
import { isCurrencyCode } from '@keel/money';
import { PAYMENT_ORDERS_MAX } from '@keel/payment-domain';
import { BuyerDto } from './buyer.dto';
import {
  BankTransferPaymentMethodDto,
  CardPaymentMethodDto,
  EasyPayPaymentMethodDto,
  PAYMENT_METHOD_SUBTYPES,
  UnknownPaymentMethodDto,
  type PaymentMethodDto,
} from './payment-method.dto';
import { PaymentOrderLineDto } from './payment-order-line.dto';

/** The merchant's checkout reference: visible ASCII, so it is safe in URLs, logs and events. */
export const CHECKOUT_ID_PATTERN = /^[\x21-\x7E]{1,128}$/;

export function IsCurrency(): PropertyDecorator {
  return ValidateBy({
    name: 'isCurrency',
    validator: {
      validate: (value) => isCurrencyCode(value),
      defaultMessage: () => 'currency must be an upper-case ISO 4217 code such as KRW or USD',
    },
  });
}

@ApiExtraModels(CardPaymentMethodDto, EasyPayPaymentMethodDto, BankTransferPaymentMethodDto)
export class CreatePaymentDto {
  @ApiProperty({
    description: "The merchant's checkout reference; one payment per checkout and merchant.",
    pattern: CHECKOUT_ID_PATTERN.source,
  })
  @Matches(CHECKOUT_ID_PATTERN, { message: 'checkoutId must be 1-128 visible ASCII characters' })
  @NoCardNumber()
  checkoutId!: string;

  @ApiProperty({ description: 'ISO 4217 code of every order amount.', example: 'KRW' })
  @IsCurrency()
  currency!: string;

  @ApiProperty({ type: BuyerDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => BuyerDto)
  buyer!: BuyerDto;

  @ApiProperty({
    oneOf: [
      { $ref: getSchemaPath(CardPaymentMethodDto) },
      { $ref: getSchemaPath(EasyPayPaymentMethodDto) },
      { $ref: getSchemaPath(BankTransferPaymentMethodDto) },
    ],
    discriminator: {
      propertyName: 'type',
      mapping: {
        card: getSchemaPath(CardPaymentMethodDto),
        easy_pay: getSchemaPath(EasyPayPaymentMethodDto),
        bank_transfer: getSchemaPath(BankTransferPaymentMethodDto),
      },
    },
  })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => UnknownPaymentMethodDto, {
    // keepDiscriminatorProperty also keeps class-transformer from deleting `type` from the raw body.
    discriminator: { property: 'type', subTypes: PAYMENT_METHOD_SUBTYPES },
    keepDiscriminatorProperty: true,
  })
  paymentMethod!: PaymentMethodDto;

  @ApiProperty({
    type: [PaymentOrderLineDto],
    minItems: 1,
    maxItems: PAYMENT_ORDERS_MAX,
    description: 'One order per seller; at most MAX_ORDERS_PER_PAYMENT (50 by default).',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PAYMENT_ORDERS_MAX)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PaymentOrderLineDto)
  orders!: PaymentOrderLineDto[];
}
