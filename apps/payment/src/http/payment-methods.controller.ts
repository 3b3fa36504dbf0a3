import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PaymentMethodOffer } from '@keel/payment-domain';
import { MethodStatusService } from '../availability/method-status.service';
import { PaymentMethodsDto, PaymentMethodsQueryDto } from './payment-methods.dto';
import { ApiProblems } from './problem-responses.decorator';

/**
 * The payment methods a checkout page may offer. Public, without an API key: buyers' browsers ask,
 * and the answer holds nothing of any merchant's; it is read from memory.
 */
@ApiTags('payment methods')
@Controller('v1/payment-methods')
export class PaymentMethodsController {
  constructor(private readonly statuses: MethodStatusService) {}

  @Get()
  @ApiOperation({
    summary: 'List the payment methods of a currency, with what is switched off and why',
    description:
      'Each method type offered in the currency: whether a payment with it can be made now, and the ' +
      'issuers, easy-pay providers or banks operations switched off, or are bringing back for part of ' +
      'their payments, each with its notice for buyers. A payment with a switched-off one, or one ' +
      'outside the part accepted, is refused with 422 method_switched_off.',
  })
  @ApiOkResponse({ type: PaymentMethodsDto })
  @ApiProblems([], { validation: true })
  list(@Query() query: PaymentMethodsQueryDto): { currency: string; methods: PaymentMethodOffer[] } {
    return { currency: query.currency, methods: this.statuses.offersFor(query.currency) };
  }
}
