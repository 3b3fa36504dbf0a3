import { IsIn, IsOptional } from 'class-validator';
import { IsIdentifier } from '../payload-decorators.util';

export const PAYMENT_METHOD_TYPES = ['card', 'easy_pay', 'bank_transfer', 'mobile'] as const;
export type PaymentMethodType = (typeof PAYMENT_METHOD_TYPES)[number];

export class PaymentMethodPayload {
  @IsIn(PAYMENT_METHOD_TYPES)
  type!: PaymentMethodType;

  /** The card issuer, easy-pay provider or bank, so routing and detection can act per provider. */
  @IsOptional()
  @IsIdentifier()
  provider?: string;
}
