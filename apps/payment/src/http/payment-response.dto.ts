import { ApiProperty } from '@nestjs/swagger';
import { PAYMENT_METHOD_TYPES, PAYMENT_ORDER_STATUSES, PAYMENT_STATUSES } from '@keel/payment-domain';
import type {
  FailureView,
  MoneyView,
  PaymentOrderView,
  PaymentPageView,
  PaymentSummaryView,
  PaymentView,
  StatusChangeView,
} from '../payments/payment.view';

export class MoneyDto implements MoneyView {
  @ApiProperty({ description: 'Integer minor units as a decimal string (bigint-safe).', example: '15000' })
  amountMinor!: string;

  @ApiProperty({ description: 'ISO 4217 code.', example: 'KRW' })
  currency!: string;
}

export class FailureDto implements FailureView {
  @ApiProperty({ description: 'Stable machine code, e.g. insufficient_funds or velocity_exceeded.' })
  code!: string;

  @ApiProperty()
  message!: string;
}

export class BuyerResponseDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ type: String, nullable: true })
  email!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'ISO 3166-1 alpha-2.' })
  country!: string | null;
}

export class PaymentMethodSummaryDto {
  @ApiProperty({ enum: PAYMENT_METHOD_TYPES })
  type!: string;

  @ApiProperty({ description: 'Card issuer, easy-pay provider or bank.' })
  provider!: string;
}

export class PaymentOrderResponseDto implements PaymentOrderView {
  @ApiProperty({ example: 'po_…' })
  id!: string;

  @ApiProperty()
  sellerId!: string;

  @ApiProperty({ type: MoneyDto })
  amount!: MoneyDto;

  @ApiProperty({ enum: PAYMENT_ORDER_STATUSES })
  status!: string;

  @ApiProperty({ type: FailureDto, nullable: true })
  failure!: FailureDto | null;

  @ApiProperty({ type: String, nullable: true, description: 'The PSP that charged the order.' })
  pspId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The PSP's transaction id." })
  pspReference!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  walletCreditedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  ledgerRecordedAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class StatusChangeDto implements StatusChangeView {
  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Null for a change of the payment itself.' })
  paymentOrderId!: string | null;

  @ApiProperty({ enum: [...new Set([...PAYMENT_STATUSES, ...PAYMENT_ORDER_STATUSES])] })
  status!: string;

  @ApiProperty({ type: String, nullable: true })
  reasonCode!: string | null;
}

export class PaymentSummaryDto implements PaymentSummaryView {
  @ApiProperty({ example: 'pay_…' })
  id!: string;

  @ApiProperty()
  checkoutId!: string;

  @ApiProperty({ enum: PAYMENT_STATUSES })
  status!: string;

  @ApiProperty({ type: MoneyDto, description: 'The sum of the orders.' })
  amount!: MoneyDto;

  @ApiProperty({ type: BuyerResponseDto })
  buyer!: BuyerResponseDto;

  @ApiProperty({ type: PaymentMethodSummaryDto, description: 'Never includes the instrument token.' })
  paymentMethod!: PaymentMethodSummaryDto;

  @ApiProperty({ type: FailureDto, nullable: true, description: 'Why the payment failed, if it did.' })
  failure!: FailureDto | null;

  @ApiProperty({ type: [PaymentOrderResponseDto] })
  orders!: PaymentOrderResponseDto[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class PaymentResponseDto extends PaymentSummaryDto implements PaymentView {
  @ApiProperty({ type: [StatusChangeDto], description: 'Every status change of the payment and its orders.' })
  history!: StatusChangeDto[];
}

export class PaymentPageDto implements PaymentPageView {
  @ApiProperty({ type: [PaymentSummaryDto] })
  data!: PaymentSummaryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Opaque; pass as `cursor` for the next page.' })
  nextCursor!: string | null;
}

export class FieldErrorDto {
  @ApiProperty({ example: 'orders.0.amount' })
  field!: string;

  @ApiProperty()
  message!: string;
}

/** RFC 9457 problem details as Keel answers them. */
export class ProblemDto {
  @ApiProperty({ example: 'https://keel.dev/problems/idempotency_key_reused' })
  type!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  status!: number;

  @ApiProperty({ required: false })
  detail?: string;

  @ApiProperty({ required: false, description: 'The last segment of `type`.' })
  code?: string;

  @ApiProperty({ type: [FieldErrorDto], required: false, description: 'Invalid fields (validation-failed).' })
  errors?: FieldErrorDto[];

  @ApiProperty({ required: false })
  correlationId?: string;
}
