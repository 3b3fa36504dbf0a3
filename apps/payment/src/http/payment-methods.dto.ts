import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PAYMENT_METHOD_TYPES } from '@keel/payment-domain';
import { IsCurrency } from './create-payment.dto';

export class PaymentMethodsQueryDto {
  @ApiProperty({ description: 'ISO 4217 code of the checkout, e.g. KRW.', example: 'KRW' })
  @IsCurrency()
  currency!: string;
}

export class DisabledProviderDto {
  @ApiProperty({ description: 'The issuer, easy-pay provider or bank, e.g. shinhan.' })
  provider!: string;

  @ApiPropertyOptional({ description: 'What buyers are told while it is switched off (or limited).' })
  notice?: string;
}

export class PaymentMethodOfferDto {
  @ApiProperty({ enum: PAYMENT_METHOD_TYPES })
  type!: string;

  @ApiProperty({ description: 'False: a checkout should hide the method or explain it with `notice`.' })
  available!: boolean;

  @ApiPropertyOptional({
    enum: ['switched_off', 'no_psp_available'],
    description: '`switched_off`: operations turned it off; `no_psp_available`: no PSP can charge it now.',
  })
  unavailableReason?: string;

  @ApiPropertyOptional({
    description: 'What buyers are told while the method is switched off, or limited (to those refused).',
  })
  notice?: string;

  @ApiPropertyOptional({
    description:
      'True: operations are bringing the method back after a switch-off; only part of its payments are ' +
      'accepted, the rest are refused with 422 method_switched_off and `notice`.',
  })
  limited?: boolean;

  @ApiPropertyOptional({ description: 'When no PSP can charge it: the seconds after which it may again.' })
  retryAfterSeconds?: number;

  @ApiProperty({
    type: [DisabledProviderDto],
    description: 'Issuers, easy-pay providers or banks switched off while the method works.',
  })
  disabledProviders!: DisabledProviderDto[];

  @ApiProperty({
    type: [DisabledProviderDto],
    description:
      'Issuers, easy-pay providers or banks being brought back after a switch-off: only part of their ' +
      'payments are accepted, the rest are refused with 422 method_switched_off and the notice.',
  })
  limitedProviders!: DisabledProviderDto[];
}

export class PaymentMethodsDto {
  @ApiProperty({ example: 'KRW' })
  currency!: string;

  @ApiProperty({ type: [PaymentMethodOfferDto] })
  methods!: PaymentMethodOfferDto[];
}
