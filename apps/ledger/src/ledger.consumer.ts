import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { PAYMENT_ORDER_EVENT_TYPES, type PaymentOrderSucceededPayload } from '@keel/contracts';
import type { InboxContext } from '@keel/messaging';
import { JournalService } from './journal.service';

/** Takes in the payment-order outcomes that move money; each runs in the inbox transaction. */
@Controller()
export class LedgerConsumer {
  constructor(private readonly journal: JournalService) {}

  @EventPattern(PAYMENT_ORDER_EVENT_TYPES.succeeded)
  onPaymentOrderSucceeded(
    @Payload() event: PaymentOrderSucceededPayload,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    return this.journal.recordCharge(context.getManager(), event);
  }
}
