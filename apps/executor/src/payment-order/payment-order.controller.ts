import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PaymentOrderParams, PaymentOrderView } from './payment-order.dto';
import { PaymentOrderQueryService } from './payment-order-query.service';

@ApiTags('payment-orders')
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
