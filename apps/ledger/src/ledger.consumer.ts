import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  ORPHAN_CHARGE_EVENT_TYPES,
  PAYMENT_ORDER_EVENT_TYPES,
  type EventEnvelope,
  type OrphanChargeDetectedPayload,
  type OrphanChargeRefundedPayload,
  type PaymentOrderSucceededPayload,
} from '@keel/contracts';
import type { InboxContext } from '@keel/messaging';
import { JournalService } from './journal.service';

/**
 * Takes in the payment-order outcomes that move money, a run of events of one type per call,
 * all in the chunk's inbox transaction.
 */
@Controller()
export class LedgerConsumer {
  constructor(private readonly journal: JournalService) {}

  @EventPattern(PAYMENT_ORDER_EVENT_TYPES.succeeded)
  onPaymentOrdersSucceeded(
    @Payload() events: readonly EventEnvelope<PaymentOrderSucceededPayload>[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    return this.journal.recordCharges(context.getManager(), events);
  }

  /** Money a PSP took for an order Keel gave up on: owed back to the buyer, never to a seller. */
  @EventPattern(ORPHAN_CHARGE_EVENT_TYPES.detected)
  onOrphanChargesDetected(
    @Payload() events: readonly EventEnvelope<OrphanChargeDetectedPayload>[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    return this.journal.recordOrphanCharges(context.getManager(), events);
  }

  @EventPattern(ORPHAN_CHARGE_EVENT_TYPES.refunded)
  onOrphanChargesRefunded(
    @Payload() events: readonly EventEnvelope<OrphanChargeRefundedPayload>[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    return this.journal.recordOrphanRefunds(context.getManager(), events);
  }
}
