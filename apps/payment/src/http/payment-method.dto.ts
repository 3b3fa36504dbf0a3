import { ApiProperty } from '@nestjs/swagger';
import { Equals, IsIn, Matches } from 'class-validator';
import { IDENTIFIER_PATTERN, NoCardNumber } from '@keel/contracts';
import { PAYMENT_METHOD_TYPES, type PaymentMethod } from '@keel/payment-domain';

/** A PSP's token for an instrument: visible ASCII, bounded like every external reference in events. */
export const INSTRUMENT_TOKEN_PATTERN = /^[\x21-\x7E]{1,128}$/;
const TOKEN_MESSAGE = 'token must be 1-128 visible ASCII characters';
const PROVIDER_MESSAGE = 'must be 1-64 letters, digits or . _ : -, starting alphanumeric';

/**
 * What class-transformer builds when `type` names no known method: it has only `type`, so the
 * answer is a 400 that says `paymentMethod.type` must be one of the known methods.
 */
export class UnknownPaymentMethodDto {
  @ApiProperty({ enum: PAYMENT_METHOD_TYPES })
  @IsIn(PAYMENT_METHOD_TYPES)
  type!: string;
}

export class CardPaymentMethodDto {
  @ApiProperty({ enum: ['card'] })
  @Equals('card')
  type!: 'card';

  @ApiProperty({
    description: "The PSP's token for the card; never a card number.",
    pattern: INSTRUMENT_TOKEN_PATTERN.source,
  })
  @Matches(INSTRUMENT_TOKEN_PATTERN, { message: TOKEN_MESSAGE })
  @NoCardNumber()
  token!: string;

  @ApiProperty({ description: 'Card issuer, e.g. shinhan.', pattern: IDENTIFIER_PATTERN.source })
  @Matches(IDENTIFIER_PATTERN, { message: `issuer ${PROVIDER_MESSAGE}` })
  @NoCardNumber()
  issuer!: string;
}

export class EasyPayPaymentMethodDto {
  @ApiProperty({ enum: ['easy_pay'] })
  @Equals('easy_pay')
  type!: 'easy_pay';

  @ApiProperty({ description: 'Easy-pay provider, e.g. kakaopay.', pattern: IDENTIFIER_PATTERN.source })
  @Matches(IDENTIFIER_PATTERN, { message: `provider ${PROVIDER_MESSAGE}` })
  @NoCardNumber()
  provider!: string;

  @ApiProperty({
    description: "The provider's token for the buyer's account.",
    pattern: INSTRUMENT_TOKEN_PATTERN.source,
  })
  @Matches(INSTRUMENT_TOKEN_PATTERN, { message: TOKEN_MESSAGE })
  @NoCardNumber()
  token!: string;
}

export class BankTransferPaymentMethodDto {
  @ApiProperty({ enum: ['bank_transfer'] })
  @Equals('bank_transfer')
  type!: 'bank_transfer';

  @ApiProperty({ description: 'The bank, e.g. kb.', pattern: IDENTIFIER_PATTERN.source })
  @Matches(IDENTIFIER_PATTERN, { message: `bank ${PROVIDER_MESSAGE}` })
  @NoCardNumber()
  bank!: string;

  @ApiProperty({
    description: "The PSP's token for the buyer's authorization of their bank account.",
    pattern: INSTRUMENT_TOKEN_PATTERN.source,
  })
  @Matches(INSTRUMENT_TOKEN_PATTERN, { message: TOKEN_MESSAGE })
  @NoCardNumber()
  token!: string;
}

export type PaymentMethodDto = CardPaymentMethodDto | EasyPayPaymentMethodDto | BankTransferPaymentMethodDto;

export const PAYMENT_METHOD_SUBTYPES = [
  { name: 'card', value: CardPaymentMethodDto },
  { name: 'easy_pay', value: EasyPayPaymentMethodDto },
  { name: 'bank_transfer', value: BankTransferPaymentMethodDto },
];

/** The validated DTO as the domain's PaymentMethod; the fields are already checked per type. */
export function paymentMethodOf(dto: PaymentMethodDto): PaymentMethod {
  switch (dto.type) {
    case 'card':
      return { type: 'card', issuer: dto.issuer, token: dto.token };
    case 'easy_pay':
      return { type: 'easy_pay', provider: dto.provider, token: dto.token };
    case 'bank_transfer':
      return { type: 'bank_transfer', bank: dto.bank, token: dto.token };
  }
}
