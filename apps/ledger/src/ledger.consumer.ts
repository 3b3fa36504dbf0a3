import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  ORPHAN_CHARGE_EVENT_TYPES,
  PAYMENT_ORDER_EVENT_TYPES,
  type OrphanChargeDetectedPayload,
  type OrphanChargeRefundedPayload,
  type PaymentOrderSucceededPayload,
} from '@keel/contracts';
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

  /** Money a PSP took for an order Keel gave up on: owed back to the buyer, never to a seller. */
  @EventPattern(ORPHAN_CHARGE_EVENT_TYPES.detected)
  onOrphanChargeDetected(
    @Payload() event: OrphanChargeDetectedPayload,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    return this.journal.recordOrphanCharge(context.getManager(), event);
  }

  @EventPattern(ORPHAN_CHARGE_EVENT_TYPES.refunded)
  onOrphanChargeRefunded(
    @Payload() event: OrphanChargeRefundedPayload,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    return this.journal.recordOrphanRefund(context.getManager(), event);
  }
}
