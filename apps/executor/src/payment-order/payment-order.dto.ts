import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import {
  IDENTIFIER_PATTERN,
  NoCardNumber,
  PAYMENT_METHOD_TYPES,
  type PaymentMethodType,
} from '@keel/contracts';
import { PAYMENT_ORDER_STATUSES, type PaymentOrderStatus } from '@keel/executor-domain';
import { PAYMENT_ORDER_ATTEMPT_KINDS, type PaymentOrderAttemptKind } from './payment-order.record';

export class PaymentOrderParams {
  @ApiProperty({ example: 'po_01HZX3' })
  @Matches(IDENTIFIER_PATTERN, { message: 'paymentOrderId must be an identifier' })
  @NoCardNumber()
  paymentOrderId!: string;
}

export class MoneyView {
  @ApiProperty({ example: '15000', description: 'Integer minor units as a decimal string.' })
  amountMinor!: string;

  @ApiProperty({ example: 'KRW' })
  currency!: string;
}

export class PaymentMethodView {
  @ApiProperty({ enum: PAYMENT_METHOD_TYPES })
  type!: PaymentMethodType;

  @ApiPropertyOptional({ example: 'shinhan' })
  provider?: string;
}

export class ResultView {
  @ApiProperty({ example: 'insufficient_funds' })
  code!: string;

  @ApiProperty({ example: 'Insufficient funds' })
  message!: string;
}

export class PaymentOrderAttemptView {
  @ApiProperty({ enum: PAYMENT_ORDER_ATTEMPT_KINDS })
  kind!: PaymentOrderAttemptKind;

  @ApiProperty({ example: 'acme' })
  pspId!: string;

  @ApiProperty({ example: 'weighted' })
  reason!: string;

  @ApiPropertyOptional({
    description: 'Result kind (succeeded, declined, unavailable, …); absent while in flight.',
  })
  outcome?: string;

  @ApiPropertyOptional()
  pspReference?: string;

  @ApiPropertyOptional()
  errorCode?: string;

  @ApiPropertyOptional()
  errorMessage?: string;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  finishedAt?: string;

  @ApiPropertyOptional()
  durationMs?: number;
}

export class PaymentOrderView {
  @ApiProperty()
  paymentOrderId!: string;

  @ApiProperty()
  paymentId!: string;

  @ApiProperty()
  merchantId!: string;

  @ApiProperty()
  sellerId!: string;

  @ApiProperty({ type: MoneyView })
  amount!: MoneyView;

  @ApiProperty({ type: PaymentMethodView })
  paymentMethod!: PaymentMethodView;

  @ApiProperty({ enum: PAYMENT_ORDER_STATUSES })
  status!: PaymentOrderStatus;

  @ApiPropertyOptional({ description: 'Why the order is in its status, e.g. the last retry reason.' })
  statusReason?: string;

  @ApiPropertyOptional({ example: 'acme' })
  pspId?: string;

  @ApiPropertyOptional({ example: 'ch_3f9a' })
  pspReference?: string;

  @ApiPropertyOptional({ type: ResultView, description: 'Decline or failure code and message.' })
  result?: ResultView;

  @ApiProperty({ description: 'Charge attempts made, all with the payment order id as idempotency key.' })
  attemptCount!: number;

  @ApiProperty({ description: 'Status inquiries made while the outcome was unknown.' })
  inquiryCount!: number;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the order is next worked on, unless it is complete.',
  })
  nextAttemptAt?: string;

  @ApiProperty({ format: 'date-time' })
  requestedAt!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  completedAt?: string;

  @ApiProperty({ type: [PaymentOrderAttemptView], description: 'PSP calls, oldest first (at most 100).' })
  attempts!: PaymentOrderAttemptView[];
}
