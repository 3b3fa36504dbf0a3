import { Body, Controller, Get, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { IDEMPOTENT_REPLAYED_HEADER } from '../idempotency/idempotency-key.util';
import { PaymentProblemCode } from '../payment.errors';
import { PaymentIntakeService, type PaymentReply } from '../payments/payment-intake.service';
import { PaymentQueryService } from '../payments/payment-query.service';
import type { PaymentPageView, PaymentView } from '../payments/payment.view';
import { CreatePaymentDto } from './create-payment.dto';
import { IdempotencyKeyGuard } from './idempotency-key.guard';
import { KeyRateLimitGuard } from './key-rate-limit.guard';
import { ListPaymentsQueryDto } from './list-payments-query.dto';
import { MerchantGuard } from './merchant.guard';
import { PaymentIdParamsDto } from './payment-id-params.dto';
import { paymentMethodOf } from './payment-method.dto';
import { PaymentPageDto, PaymentResponseDto, ProblemDto } from './payment-response.dto';
import { ApiProblems } from './problem-responses.decorator';
import { IdempotentRequest, MerchantId } from './request-identity.decorator';

/** The merchant-facing payment API. HTTP only: the services decide. */
@ApiTags('payments')
@ApiExtraModels(ProblemDto)
@ApiBearerAuth()
@ApiProblems([
  PaymentProblemCode.ApiKeyInvalid,
  PaymentProblemCode.LiveModeUnavailable,
  PaymentProblemCode.RateLimited,
])
@UseGuards(MerchantGuard, KeyRateLimitGuard)
@Controller('v1/payments')
export class PaymentsController {
  constructor(
    private readonly intake: PaymentIntakeService,
    private readonly queries: PaymentQueryService,
  ) {}

  @Post()
  @UseGuards(IdempotencyKeyGuard)
  @ApiOperation({
    summary: 'Create a payment',
    description:
      'Accepts a checkout of one or more orders (one per seller) and charges them asynchronously: ' +
      'the answer is 202 Accepted with the payment as it stands (processing, or failed when the risk ' +
      'check rejected it). Follow Location or the keel.payment.v1 events for the outcome. ' +
      'A repeat with the same Idempotency-Key and body replays the first answer with ' +
      '`Idempotent-Replayed: true`. ' +
      'Keel never takes card numbers: a field or header that holds one (a Luhn-valid run of 13-19 ' +
      'digits, grouped or not by single spaces or dashes) is refused with 400 and nothing is stored.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: '1-255 printable ASCII characters.' })
  @ApiAcceptedResponse({
    type: PaymentResponseDto,
    headers: {
      Location: { description: '/v1/payments/{id}', schema: { type: 'string' } },
      [IDEMPOTENT_REPLAYED_HEADER]: {
        description: '`true` on a replayed answer.',
        schema: { type: 'string' },
      },
    },
  })
  @ApiProblems(
    [
      PaymentProblemCode.IdempotencyKeyMissing,
      PaymentProblemCode.IdempotencyKeyInvalid,
      PaymentProblemCode.IdempotencyKeyReused,
      PaymentProblemCode.IdempotencyKeyInFlight,
      PaymentProblemCode.CheckoutAlreadyExists,
      PaymentProblemCode.InvalidPayment,
      PaymentProblemCode.MethodUnavailable,
      PaymentProblemCode.MethodSwitchedOff,
      PaymentProblemCode.Overloaded,
    ],
    { validation: true, body: true },
  )
  async create(
    @MerchantId() merchantId: string,
    @IdempotentRequest() request: { key: string; requestHash: string },
    @Body() body: CreatePaymentDto,
    @Res() response: ServerResponse,
  ): Promise<void> {
    const reply = await this.intake.create({ merchantId, key: request.key }, request.requestHash, {
      ...body,
      paymentMethod: paymentMethodOf(body.paymentMethod),
    });
    writeReply(response, reply);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a payment with its orders and status history' })
  @ApiOkResponse({ type: PaymentResponseDto })
  @ApiProblems([PaymentProblemCode.PaymentNotFound], { validation: true })
  get(@MerchantId() merchantId: string, @Param() params: PaymentIdParamsDto): Promise<PaymentView> {
    return this.queries.get(merchantId, params.id);
  }

  @Get()
  @ApiOperation({ summary: 'List payments, newest first, or find the payment of a checkout' })
  @ApiOkResponse({ type: PaymentPageDto })
  @ApiProblems([PaymentProblemCode.InvalidCursor], { validation: true })
  list(@MerchantId() merchantId: string, @Query() query: ListPaymentsQueryDto): Promise<PaymentPageView> {
    return this.queries.list(merchantId, query);
  }
}

/** The stored answer, byte for byte, so a replay is identical to the first response. */
function writeReply(response: ServerResponse, reply: PaymentReply): void {
  response.statusCode = reply.status;
  for (const [name, value] of Object.entries(reply.headers)) response.setHeader(name, value);
  if (reply.replayed) response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(reply.body));
  response.end(reply.body);
}
