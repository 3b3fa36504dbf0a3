import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OperatorAccess } from '@keel/operator-auth';
import { PaymentOrderParams, PaymentOrderView } from './payment-order.dto';
import { PaymentOrderQueryService } from './payment-order-query.service';

/** Payment orders as the executor holds them, for operators (viewer and above). */
@ApiTags('payment-orders')
@OperatorAccess('viewer')
@Controller('v1/payment-orders')
export class PaymentOrderController {
  constructor(private readonly query: PaymentOrderQueryService) {}

  @Get(':paymentOrderId')
  @ApiOperation({ summary: 'A payment order with its status and every PSP call made for it' })
  @ApiOkResponse({ type: PaymentOrderView })
  @ApiNotFoundResponse({
    description: 'problem+json of type https://keel.dev/problems/payment_order_not_found',
  })
  get(@Param() params: PaymentOrderParams): Promise<PaymentOrderView> {
    return this.query.get(params.paymentOrderId);
  }
}
